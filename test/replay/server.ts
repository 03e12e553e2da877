import {
  createServer as createHttpServer,
  type IncomingMessage,
  type ServerResponse,
} from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";

/** A request as the replay handlers see it: method, parsed URL, headers and the whole body. */
export interface ReplayRequest {
  method: string;
  url: URL;
  headers: IncomingMessage["headers"];
  body: string;
}

/** What a replay handler answers: a status, headers and a text body. */
export interface ReplayResponse {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

export type ReplayHandler = (request: ReplayRequest) => ReplayResponse | Promise<ReplayResponse>;

/** A running replay server bound to 127.0.0.1; `close` stops it and drops open connections. */
export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/** TLS material for an HTTPS replay server (PEM strings). */
export interface TlsMaterial {
  cert: string;
  key: string;
}

/** The largest request body a replay server reads; cloud APIs never need more in tests. */
const MAX_BODY_BYTES = 1_048_576;

/**
 * Starts `handler` on an ephemeral port of 127.0.0.1 only, over HTTPS when `tls` is given. The
 * servers never bind a wildcard address, so nothing outside this machine can reach them.
 */
export async function startReplayServer(
  handler: ReplayHandler,
  tls?: TlsMaterial,
): Promise<RunningServer> {
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    void serve(handler, req, res);
  };
  const server = tls ? createHttpsServer(tls, listener) : createHttpServer(listener);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const scheme = tls ? "https" : "http";
  return {
    url: `${scheme}://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function serve(handler: ReplayHandler, req: IncomingMessage, res: ServerResponse) {
  try {
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const answer = await handler({ method: req.method ?? "GET", url, headers: req.headers, body });
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body);
  } catch (error) {
    // A replay server answers a bug in itself with a 500 naming the cause, so the failing test
    // shows it instead of a hung socket.
    res.writeHead(500, { "content-type": "text/plain" });
    res.end(`replay server error: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw new Error("request body over the replay limit");
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** A JSON answer with the given status. */
export function json(status: number, value: unknown): ReplayResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify(value),
  };
}

/** An XML answer with the given status. */
export function xml(status: number, body: string): ReplayResponse {
  return { status, headers: { "content-type": "text/xml;charset=UTF-8" }, body };
}

/** Escapes text for an XML element or attribute value. */
export function escapeXml(value: string): string {
  return value
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&apos;");
}

/** Pages `items` by an opaque numeric token, as the clouds' list APIs do. */
export function page<T>(
  items: readonly T[],
  token: string | null | undefined,
  size: number,
): { items: T[]; next: string | undefined } {
  const start = token ? Number.parseInt(Buffer.from(token, "base64url").toString(), 10) : 0;
  const from = Number.isFinite(start) && start > 0 ? start : 0;
  const end = from + size;
  const next = end < items.length ? Buffer.from(String(end)).toString("base64url") : undefined;
  return { items: items.slice(from, end), next };
}
