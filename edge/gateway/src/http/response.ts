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

/** Drops hop-by-hop fields, including any the Connection header names. */
export function endToEnd(
  headers: ReadonlyArray<readonly [string, string]>,
): Array<[string, string]> {
  let named: Set<string> | undefined;
  for (const [name, value] of headers) {
    if (name.toLowerCase() !== "connection") continue;
    named ??= new Set();
    for (const token of value.split(",")) named.add(token.trim().toLowerCase());
  }
  const kept: Array<[string, string]> = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && !named?.has(lower)) kept.push([name, value]);
  }
  return kept;
}

/** Flattens undici's response header object into name/value pairs. */
export function headerPairs(
  headers: Record<string, string | string[] | undefined>,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) pairs.push([name, one]);
  }
  return pairs;
}

const SPLITS_LINE = /[\r\n]/;

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
