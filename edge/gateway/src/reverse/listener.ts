import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import type { GatewayContext } from "../context.ts";
import { headerValue, type RequestHead } from "../http/head.ts";
import { SocketReader } from "../http/reader.ts";
import { type HttpSession, type Routed, serveHttp } from "../proxy/exchange.ts";
import { refuseFraming } from "../proxy/forward.ts";
import { forwardedClient, isTrusted, readProxyV2, socketIp } from "../proxy/identity.ts";
import { hostWithoutPort } from "../proxy/intercept.ts";
import { terminateTls } from "../proxy/splice.ts";
import type { PemPair } from "../tls/ca.ts";
import { type CompiledRoute, compileRoutes, matchRoute, type ReverseRoute } from "./routes.ts";
import { forwardedHeaders, requestPath } from "./target.ts";

/** The reverse proxy in front of inbound applications, already validated. */
export type ReverseOptions = {
  listen: { host: string; port: number };
  /** Certificate and key the listener terminates TLS with; plain HTTP when absent. */
  tls?: PemPair;
  routes: ReverseRoute[];
};

type Source = { ip: string; port?: number };

type Listener = {
  ctx: GatewayContext;
  routes: CompiledRoute[];
  secureContext: tls.SecureContext | undefined;
  port: number;
};

/**
 * Creates the reverse-proxy server. Each connection is identified (trusted hops as for the
 * forward proxy), TLS is terminated when configured, and every request goes through the strict
 * parser, route matching, the policy decision and the route's inspection profiles.
 */
export function createReverseServer(
  ctx: GatewayContext,
  options: ReverseOptions,
  onSocket: (socket: net.Socket) => void,
): { server: net.Server; bind(port: number): void; closePools(): Promise<void> } {
  const state: Listener = {
    ctx,
    routes: compileRoutes(options.routes),
    secureContext: options.tls
      ? tls.createSecureContext({ cert: options.tls.certPem, key: options.tls.keyPem })
      : undefined,
    port: options.listen.port,
  };
  const server = net.createServer((socket) => {
    onSocket(socket);
    handleReverseConnection(state, socket);
  });
  return {
    server,
    bind: (port) => {
      state.port = port;
    },
    closePools: async () => {
      await Promise.allSettled(state.routes.map((route) => route.pool?.close()));
    },
  };
}

function handleReverseConnection(state: Listener, socket: net.Socket): void {
  const { ctx } = state;
  ctx.metrics.openConnections += 1;
  socket.setNoDelay(true);
  socket.setTimeout(ctx.limits.idleTimeoutMs, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  let stream: Duplex = socket;
  serveClient(state, socket, (next) => {
    stream = next;
  })
    .catch((error: unknown) => refuseFraming(ctx, stream, error, socketIp(socket.remoteAddress)))
    .finally(() => {
      ctx.metrics.openConnections -= 1;
    });
}

async function serveClient(
  state: Listener,
  socket: net.Socket,
  onStream: (stream: Duplex) => void,
): Promise<void> {
  const { ctx } = state;
  const reader = new SocketReader(socket);
  const peer: Source = { ip: socketIp(socket.remoteAddress), port: socket.remotePort };
  let connection: Source = peer;
  if (ctx.trustedHops.proxyProtocol && isTrusted(ctx.trustedHops, peer.ip)) {
    connection = (await readProxyV2(reader)) ?? peer;
  }

  let stream: Duplex = socket;
  let streamReader = reader;
  if (state.secureContext) {
    const secure = terminateTls(socket, reader, state.secureContext);
    stream = secure;
    streamReader = new SocketReader(secure);
  }
  onStream(stream);

  const session: HttpSession = {
    ctx,
    stream,
    reader: streamReader,
    src: connection,
    identify: (head) => identify(ctx, connection, head),
    route: (head) => routeInbound(state, session, head),
  };
  await serveHttp(session);
}

/** The client of one request: X-Forwarded-For counts only from a trusted hop. */
function identify(ctx: GatewayContext, connection: Source, head: RequestHead): Source {
  const named = forwardedClient(
    ctx.trustedHops,
    connection.ip,
    headerValue(head.headers, "x-forwarded-for"),
  );
  return named === connection.ip ? connection : { ip: named };
}

function refusal(status: number, code: string, message: string, dst: Routed["dst"]): Routed {
  return { kind: "refuse", status, code, message, decision: undefined, dst };
}

/** Matches the route, decides with the engine (dstHost = the route's host) and forwards. */
function routeInbound(state: Listener, session: HttpSession, head: RequestHead): Routed {
  const host = hostWithoutPort(head.host);
  const dst = { host, port: state.port };
  const path = requestPath(head.target);
  if (path.kind === "invalid") return refusal(400, "request-target", path.message, dst);

  const route = matchRoute(state.routes, host, path.pathname);
  if (!route) return refusal(404, "no-route", "no application is served at this address", dst);
  const dstHost = route.host ?? host;
  if (dstHost === undefined) return refusal(400, "missing-host", "a Host header is required", dst);

  const decision = state.ctx.policy.current.decide({
    srcIp: session.src.ip,
    dstHost,
    dstPort: state.port,
    path: path.pathname,
    method: head.method,
  });
  const decided = { host: dstHost, port: state.port };
  if (decision.action === "deny" && !decision.monitor) {
    return { ...refusal(403, "denied", "policy denies this request", decided), decision };
  }
  const ruleProfiles = decision.mode === "proxy" ? decision.profiles : [];
  return {
    kind: "forward",
    host: route.target.host,
    port: route.target.port,
    tls: route.target.tls,
    path: `${route.target.basePath}${path.pathname}${path.search}`,
    inspect: [...new Set([...route.profiles, ...ruleProfiles])],
    pool: route.pool,
    rewriteHeaders: (headers) =>
      forwardedHeaders(headers, session.src.ip, state.secureContext ? "https" : "http"),
    decision,
    dst: decided,
  };
}
