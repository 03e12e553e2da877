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
  const named = new Set(
    headers
      .filter(([name]) => name.toLowerCase() === "connection")
      .flatMap(([, value]) => value.split(",").map((token) => token.trim().toLowerCase())),
  );
  return headers
    .filter(([name]) => {
      const lower = name.toLowerCase();
      return !HOP_BY_HOP.has(lower) && !named.has(lower);
    })
    .map(([name, value]) => [name, value]);
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

/** Serialises a response head; header values are checked so nothing can split the response. */
export function responseHead(
  status: number,
  headers: ReadonlyArray<readonly [string, string]>,
): Buffer {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? "Status"}`];
  for (const [name, value] of headers) {
    if (/[\r\n]/.test(name) || /[\r\n]/.test(value)) continue;
    lines.push(`${name}: ${value}`);
  }
  return Buffer.from(`${lines.join("\r\n")}\r\n\r\n`, "latin1");
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
