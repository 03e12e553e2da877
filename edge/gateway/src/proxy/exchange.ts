import { randomUUID } from "node:crypto";
import { type Duplex, Readable } from "node:stream";
import type { Detection } from "@ringfence/engine/documents";
import type { GatewayContext } from "../context.ts";
import { EgressBlocked, judgedAddress } from "../egress/dial.ts";
import type { UpstreamPool } from "../egress/upstream.ts";
import type { Decision } from "../engine/policy.ts";
import { buildEvent, gatewayFinding } from "../events/build.ts";
import { type BodyFraming, headerValue, type RequestHead } from "../http/head.ts";
import type { SocketReader } from "../http/reader.ts";
import { endToEnd, sendError, writeAll } from "../http/response.ts";
import { inspectBefore, responseFilter } from "./inspection.ts";
import { type Relayed, RequestRefused, relayUpstream, UpstreamUnavailable } from "./relay.ts";

export { RequestRefused };

/** Where an allowed request goes upstream. */
export type Forward = {
  kind: "forward";
  host: string;
  port: number;
  tls: boolean;
  path: string;
  /** Profiles to inspect with; the rule's own in proxy mode when absent. */
  inspect?: readonly string[];
  /** Upstream clients with trust anchors of their own; the gateway's pool when absent. */
  pool?: UpstreamPool;
  /** Adjusts the end-to-end request headers before they go upstream. */
  rewriteHeaders?(headers: Array<[string, string]>): Array<[string, string]>;
  /**
   * Rewrites the whole upstream request (the S3 endpoint re-signs it and decodes its body). The
   * body it returns may throw a RequestRefused while streaming: the upstream request is then
   * aborted before its last byte and the client gets the refusal.
   */
  prepare?(request: UpstreamRequest): Promise<UpstreamRequest>;
};

/** A request as it goes upstream. */
export type UpstreamRequest = {
  path: string;
  headers: Array<[string, string]>;
  body: AsyncIterable<Uint8Array> | null;
};

/** A refusal, with the finding that explains it when the gateway (not a rule) refused. */
export type Refusal = {
  kind: "refuse";
  status: number;
  code: string;
  message: string;
  finding?: Detection;
};

/** The outcome of routing one request: the engine's decision plus what to do. */
export type Routed = {
  decision: Decision | undefined;
  dst: { host?: string; port: number; sni?: string };
} & (Forward | Refusal);

/** A refusal decided before any rule (bad target, bad signature), for no particular destination. */
export function refusal(
  status: number,
  code: string,
  message: string,
  finding?: Detection,
): Routed {
  return { kind: "refuse", status, code, message, decision: undefined, dst: { port: 0 }, finding };
}

/** The engine's decision on a request as what to do: a 403 when it denies, else the forward. */
export function decided(
  decision: Decision,
  dst: Routed["dst"],
  forward: Omit<Forward, "kind">,
): Routed {
  if (decision.action === "deny" && !decision.monitor) {
    const message = "policy denies this request";
    return { kind: "refuse", status: 403, code: "denied", message, decision, dst };
  }
  return { kind: "forward", ...forward, decision, dst };
}

/** One client connection speaking HTTP/1.1 to the gateway (plain, or inside intercepted TLS). */
export type HttpSession = {
  ctx: GatewayContext;
  stream: Duplex;
  reader: SocketReader;
  src: { ip: string; port?: number };
  /**
   * Names the client of each request where it may differ per request (a trusted load balancer
   * multiplexing clients over one connection); the connection's source stands when absent.
   */
  identify?(head: RequestHead): { ip: string; port?: number };
  route(head: RequestHead): Routed | Promise<Routed>;
};

// Set by the gateway itself on the way upstream (framing, its own request id, its own Expect).
const REFRAMED_REQUEST_FIELDS = new Set(["content-length", "x-request-id", "expect"]);

/** Serves requests on the connection until the client or a refusal closes it. */
export async function serveHttp(session: HttpSession, first?: RequestHead): Promise<void> {
  let head = first ?? (await session.reader.readHead(session.ctx.limits.head));
  while (head) {
    if (!(await serveOne(session, head))) break;
    head = await session.reader.readHead(session.ctx.limits.head);
  }
  session.stream.end();
}

function keepAlive(head: RequestHead): boolean {
  const connection = (headerValue(head.headers, "connection") ?? "").toLowerCase();
  if (head.version === "HTTP/1.0") return connection.includes("keep-alive");
  if (connection === "" || connection === "keep-alive") return true;
  return !connection.split(",").some((token) => token.trim() === "close");
}

async function serveOne(session: HttpSession, head: RequestHead): Promise<boolean> {
  const { ctx } = session;
  const requestId = randomUUID();
  const started = performance.now();
  if (session.identify) session.src = session.identify(head);
  // Routing is synchronous for most sessions; awaiting only a promise spares each request a hop.
  const pending = upgradeRefusal(head) ?? session.route(head);
  const routed = pending instanceof Promise ? await pending : pending;
  ctx.metrics.recordDecision(
    routed.kind === "forward" ? "allow" : "deny",
    "request",
    performance.now() - started,
  );

  const emit = requestEvents(session, head, routed);
  if (routed.kind === "refuse") {
    sendError(session.stream, routed.status, routed.code, routed.message, requestId);
    emit({ finding: routed.finding, status: routed.status });
    return false;
  }
  return forward(session, head, routed, requestId, emit);
}

/**
 * Emits the one event of a request. Made by a function rather than as a named closure inline:
 * tsx (esbuild keepNames) would otherwise define a name property on a new function per request.
 */
function requestEvents(session: HttpSession, head: RequestHead, routed: Routed): Emit {
  const { ctx } = session;
  const http = { method: head.method, url: head.target.slice(0, 8192) };
  return (extra) =>
    ctx.emit(
      buildEvent({
        enforcerId: ctx.enforcerId,
        kind: "request",
        decision: routed.decision,
        findings: [...(extra.finding ? [extra.finding] : []), ...(extra.findings ?? [])],
        src: session.src,
        dst: routed.dst,
        http: { ...http, status: extra.status },
        bytes: extra.bytes,
      }),
    );
}

function upgradeRefusal(head: RequestHead): Routed | undefined {
  const upgrade = headerValue(head.headers, "upgrade");
  if (upgrade === undefined) return undefined;
  // WebSocket and h2c upgrades would turn the connection into frames the gateway does not
  // inspect, so they are refused openly rather than passed through by accident.
  const kind = upgrade.toLowerCase().includes("websocket")
    ? "websocket-refused"
    : "upgrade-refused";
  return {
    kind: "refuse",
    status: 501,
    code: kind,
    message: "protocol upgrades are not relayed by this gateway",
    finding: gatewayFinding(kind, "protocol", "request.headers.upgrade"),
    decision: undefined,
    dst: { host: head.host, port: 0 },
  };
}

type Emit = (extra: {
  finding?: Detection;
  findings?: Detection[];
  status?: number;
  bytes?: { in: number; out: number };
}) => void;

async function forward(
  session: HttpSession,
  head: RequestHead,
  route: Forward & Routed,
  requestId: string,
  emit: Emit,
): Promise<boolean> {
  const { ctx, stream } = session;
  let address: string;
  try {
    const judged = judgedAddress(ctx.egress, route.host, route.port);
    address = typeof judged === "string" ? judged : await judged;
  } catch (error) {
    if (!(error instanceof EgressBlocked)) throw error;
    sendError(
      stream,
      403,
      "egress-blocked",
      "the destination is not reachable from this gateway",
      requestId,
    );
    emit({
      finding: gatewayFinding(`egress.${error.verdict.reason}`, "ssrf", "destination"),
      status: 403,
    });
    return false;
  }

  // The request is allowed, so a client waiting for permission to send its body gets it now;
  // the gateway answers Expect itself and never passes it on (undici does not speak it).
  const expect = headerValue(head.headers, "expect")?.toLowerCase();
  if (expect === "100-continue" && head.framing.kind !== "none") {
    await writeAll(stream, "HTTP/1.1 100 Continue\r\n\r\n");
  }
  const body =
    head.framing.kind === "none"
      ? NO_BODY
      : await collectBody(session.reader, head.framing, ctx.limits.maxBufferedBody);
  // GAP(inspect-streamed-body): a body above maxBufferedBody is inspected by its head only;
  // feeding it through a request-side createBodyScanner as it streams would remove this.
  const bytes = body.kind === "buffer" ? body.bytes : new Uint8Array(0);
  const profiles =
    route.inspect ?? (route.decision?.mode === "proxy" ? route.decision.profiles : []);
  const inspected = inspectBefore(ctx.policy.current, profiles, head, bytes, session.src.ip);
  if (inspected.block) {
    sendError(
      stream,
      403,
      "blocked-by-inspection",
      "an inspection profile blocked the request",
      requestId,
    );
    emit({ findings: [...inspected.findings], status: 403 });
    return false;
  }
  const kept = endToEnd(head.headers, REFRAMED_REQUEST_FIELDS);
  const headers = route.rewriteHeaders ? route.rewriteHeaders(kept) : kept;
  headers.push(["x-request-id", requestId]);
  const client = (route.pool ?? ctx.upstream).clientFor({
    host: route.host,
    address,
    port: route.port,
    tls: route.tls,
  });
  const plain = body.kind === "none" ? null : body.kind === "buffer" ? body.bytes : body.stream;
  const filter = responseFilter(inspected.compiled);
  const alive = keepAlive(head);
  let relayed: Relayed;
  try {
    const prepared = route.prepare
      ? await route.prepare({ path: route.path, headers, body: iterableBody(body) })
      : undefined;
    relayed = await relayUpstream(client, {
      stream,
      head,
      keepAlive: alive,
      requestId,
      filter,
      upstream: {
        method: head.method,
        path: prepared?.path ?? route.path,
        headers: flatten(prepared?.headers ?? headers),
        body: prepared ? prepared.body && Readable.from(prepared.body) : plain,
        servername: route.host,
      },
    });
  } catch (error) {
    if (error instanceof RequestRefused) {
      sendError(stream, error.status, error.code, error.message, requestId);
      emit({ finding: error.finding, status: error.status });
      return false;
    }
    if (!(error instanceof UpstreamUnavailable)) throw error;
    sendError(stream, 502, "upstream-unavailable", "the upstream could not be reached", requestId);
    emit({ finding: gatewayFinding("upstream-failed", "upstream", "connection"), status: 502 });
    return false;
  }
  const findings = [...inspected.findings, ...(filter?.findings ?? [])];
  emit({ findings, status: relayed.status, bytes: { in: body.size, out: relayed.bytes } });
  return !relayed.blocked && alive;
}

function iterableBody(body: CollectedBody): AsyncIterable<Uint8Array> | null {
  if (body.kind === "none") return null;
  if (body.kind === "stream") return body.stream;
  const bytes = body.bytes;
  return (async function* () {
    yield bytes;
  })();
}

const NO_BODY: CollectedBody = { kind: "none", size: 0 };

type CollectedBody =
  | { kind: "none"; size: 0 }
  | { kind: "buffer"; bytes: Buffer; size: number }
  | { kind: "stream"; stream: Readable; size: number };

/**
 * Reads bodies up to `limit` completely before anything goes upstream, so a framing error in a
 * body of that size is refused with nothing forwarded. Larger bodies stream; a framing error
 * later in one aborts the upstream request mid-body.
 */
async function collectBody(
  reader: SocketReader,
  framing: BodyFraming,
  limit: number,
): Promise<CollectedBody> {
  if (framing.kind === "none") return { kind: "none", size: 0 };
  const iterator = reader.body(framing);
  const parts: Buffer[] = [];
  let size = 0;
  while (size <= limit) {
    const next = await iterator.next();
    if (next.done) return { kind: "buffer", bytes: Buffer.concat(parts), size };
    parts.push(next.value);
    size += next.value.length;
  }
  async function* rest(): AsyncGenerator<Buffer> {
    yield* parts;
    yield* { [Symbol.asyncIterator]: () => iterator };
  }
  return { kind: "stream", stream: Readable.from(rest()), size };
}

/** Name/value pairs as the flat list undici takes, without the intermediate arrays of flat(). */
function flatten(pairs: ReadonlyArray<readonly [string, string]>): string[] {
  const flat = new Array<string>(pairs.length * 2);
  for (let i = 0; i < pairs.length; i++) {
    const pair = pairs[i];
    if (!pair) continue;
    flat[2 * i] = pair[0];
    flat[2 * i + 1] = pair[1];
  }
  return flat;
}
