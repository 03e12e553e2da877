import { STATUS_CODES } from "node:http";
import type { Duplex } from "node:stream";

// Hop-by-hop fields describe one connection and are never relayed to the next hop.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Drops hop-by-hop fields, including any the Connection header names, and the `drop` fields. */
export function endToEnd(
  headers: ReadonlyArray<readonly [string, string]>,
  drop?: ReadonlySet<string>,
): Array<[string, string]> {
  let named: Set<string> | undefined;
  for (const [name, value] of headers) {
    if (name.toLowerCase() === "connection") named = connectionTokens(value, named);
  }
  const kept: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !named?.has(lower) && !drop?.has(lower)) kept.push([name, value]);
  }
  return kept;
}

const SPLITS_LINE = /[\r\n]/;

/** What a relayed response head says about the body that follows it. */
export type RelayedHead = { text: string; hasLength: boolean };

/**
 * Serialises the end-to-end fields of an upstream response straight from undici's header
 * object, in one pass and without intermediate arrays: hop-by-hop fields, any field the
 * Connection header names and the `drop` fields (lower-case) are left out, as is any value
 * that would split the response. Returns the head without its blank line, so the caller can
 * append its own fields, and whether a Content-Length was kept.
 */
export function relayedHead(
  status: number,
  headers: Record<string, string | string[] | undefined>,
  drop: (lowerName: string) => boolean,
): RelayedHead {
  const connection = headers.connection;
  const named = connection === undefined ? undefined : connectionTokens(connection);
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Status"}\r\n`;
  let hasLength = false;
  for (const name in headers) {
    const value = headers[name];
    const lower = name.toLowerCase();
    if (value === undefined || HOP_BY_HOP.has(lower) || named?.has(lower) || drop(lower)) continue;
    if (SPLITS_LINE.test(name)) continue;
    const before = text.length;
    if (typeof value === "string") text += fieldLine(name, value);
    else for (const one of value) text += fieldLine(name, one);
    if (lower === "content-length" && text.length > before) hasLength = true;
  }
  return { text, hasLength };
}

function fieldLine(name: string, value: string): string {
  return SPLITS_LINE.test(value) ? "" : `${name}: ${value}\r\n`;
}

/**
 * The fields a Connection header names, added to `named`. The usual `keep-alive` names only a
 * hop-by-hop field that is dropped anyway, so no set is made for it.
 */
function connectionTokens(
  value: string | readonly string[],
  named?: Set<string>,
): Set<string> | undefined {
  if (typeof value !== "string") {
    let all = named;
    for (const line of value) all = connectionTokens(line, all);
    return all;
  }
  const lower = value.trim().toLowerCase();
  if (lower === "keep-alive") return named;
  const all = named ?? new Set<string>();
  for (const token of lower.split(",")) all.add(token.trim());
  return all;
}

/** Serialises a response head; header values are checked so nothing can split the response. */
export function responseHead(
  status: number,
  headers: ReadonlyArray<readonly [string, string]>,
): Buffer {
  let text = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Status"}\r\n`;
  for (const [name, value] of headers) {
    if (SPLITS_LINE.test(name) || SPLITS_LINE.test(value)) continue;
    text += `${name}: ${value}\r\n`;
  }
  return Buffer.from(`${text}\r\n`, "latin1");
}

/** Writes and waits for the socket to accept more, so a slow client slows the upstream read. */
export async function writeAll(stream: Duplex, chunk: Buffer | string): Promise<void> {
  if (stream.destroyed) throw new Error("client connection closed");
  if (stream.write(chunk)) return;
  await new Promise<void>((resolve, reject) => {
    const done = (error?: Error) => {
      stream.off("drain", done);
      stream.off("close", onClose);
      if (error) reject(error);
      else resolve();
    };
    const onClose = () => done(new Error("client connection closed"));
    stream.on("drain", done);
    stream.on("close", onClose);
  });
}

/**
 * Sends a gateway-generated error in the one envelope (code, message, request id) and closes
 * the connection. The message is the gateway's own text, never an upstream's or an exception's.
 */
export function sendError(
  stream: Duplex,
  status: number,
  code: string,
  message: string,
  requestId: string,
): void {
  if (stream.destroyed || !stream.writable) return;
  const body = JSON.stringify({ error: { code, message, requestId } });
  const head = responseHead(status, [
    ["content-type", "application/json"],
    ["content-length", String(Buffer.byteLength(body))],
    ["x-request-id", requestId],
    ["connection", "close"],
  ]);
  stream.end(Buffer.concat([head, Buffer.from(body)]));
  // A client that ignores the close would otherwise hold the socket until the idle timeout.
  setTimeout(() => stream.destroy(), 2_000).unref();
}
