import { randomUUID } from "node:crypto";
import type net from "node:net";
import type { Duplex } from "node:stream";
import type { GatewayContext } from "../context.ts";
import { LastDecision } from "../engine/policy.ts";
import { buildEvent, gatewayFinding } from "../events/build.ts";
import { FramingError } from "../http/errors.ts";
import { headerValue, type RequestHead } from "../http/head.ts";
import { SocketReader } from "../http/reader.ts";
import { sendError } from "../http/response.ts";
import { decided, type Routed, refusal, serveHttp } from "./exchange.ts";
import { forwardedClient, isTrusted, readProxyV2, socketIp } from "./identity.ts";
import { handleConnect } from "./tunnel.ts";

type Source = { ip: string; port?: number };

/**
 * Serves one client of the forward proxy listener: CONNECT tunnels and absolute-form HTTP.
 * Every failure ends in a closed connection; nothing escapes as an unhandled rejection.
 */
export function handleForwardConnection(ctx: GatewayContext, socket: net.Socket): void {
  ctx.metrics.openConnections += 1;
  socket.setNoDelay(true);
  socket.setTimeout(ctx.limits.idleTimeoutMs, () => socket.destroy());
  socket.on("error", () => socket.destroy());
  const reader = new SocketReader(socket);
  serveClient(ctx, socket, reader)
    .catch((error: unknown) => refuseFraming(ctx, socket, error, socketIp(socket.remoteAddress)))
    .finally(() => {
      ctx.metrics.openConnections -= 1;
    });
}

async function serveClient(
  ctx: GatewayContext,
  socket: net.Socket,
  reader: SocketReader,
): Promise<void> {
  const peer = { ip: socketIp(socket.remoteAddress), port: socket.remotePort };
  let src: Source = peer;
  if (ctx.trustedHops.proxyProtocol && isTrusted(ctx.trustedHops, peer.ip)) {
    src = (await readProxyV2(reader)) ?? peer;
  }
  const head = await reader.readHead(ctx.limits.head);
  if (!head) {
    socket.end();
    return;
  }
  const forwarded = forwardedClient(
    ctx.trustedHops,
    src.ip,
    headerValue(head.headers, "x-forwarded-for"),
  );
  if (forwarded !== src.ip) src = { ip: forwarded };
  if (head.method === "CONNECT") {
    await handleConnect(ctx, socket, reader, head, src);
    return;
  }
  const memo: AbsoluteMemo = { last: new LastDecision(), target: "", hostHeader: undefined };
  await serveHttp(
    { ctx, stream: socket, reader, src, route: (next) => routeAbsolute(ctx, src, next, memo) },
    head,
  );
}

/**
 * Answers a framing error with 400 and its finding (nothing was forwarded); any other failure
 * just closes the connection, so no internal detail reaches the client.
 */
export function refuseFraming(
  ctx: GatewayContext,
  socket: Duplex,
  error: unknown,
  ip: string,
): void {
  if (!(error instanceof FramingError)) {
    socket.destroy();
    return;
  }
  sendError(socket, error.status, error.code, error.message, randomUUID());
  ctx.emit(
    buildEvent({
      enforcerId: ctx.enforcerId,
      kind: "request",
      decision: undefined,
      findings: [gatewayFinding(`framing.${error.code}`, "http-framing", "request")],
      src: { ip },
      dst: { port: 0 },
    }),
  );
}

/** Where an absolute-form target leads, once parsed. */
type AbsoluteTarget = { host: string; port: number; pathname: string; path: string };

/**
 * What one connection remembers between its requests: the last target as parsed (a client on
 * a kept-alive connection mostly repeats it, and parsing a URL is not free) and the last
 * decision (see LastDecision).
 */
type AbsoluteMemo = {
  last: LastDecision;
  target: string;
  hostHeader: string | undefined;
  parsed?: AbsoluteTarget | Routed;
};

/** Decides an absolute-form request (`GET http://host/path`); only plain http is relayed. */
function routeAbsolute(
  ctx: GatewayContext,
  src: Source,
  head: RequestHead,
  memo: AbsoluteMemo,
): Routed {
  if (!memo.parsed || memo.target !== head.target || memo.hostHeader !== head.host) {
    memo.parsed = parseAbsolute(head);
    memo.target = head.target;
    memo.hostHeader = head.host;
  }
  const target = memo.parsed;
  if ("kind" in target) return target;

  const { host, port } = target;
  const dst = { host, port };
  const policy = ctx.policy.current;
  let decision = memo.last.lookup(policy, head.target, head.method);
  if (!decision) {
    decision = policy.decide({
      srcIp: src.ip,
      dstHost: host,
      dstPort: port,
      path: target.pathname,
      method: head.method,
    });
    memo.last.remember(policy, head.target, head.method, decision);
  }
  return decided(decision, dst, { host, port, tls: false, path: target.path });
}

/** Reads an absolute-form target and checks it against the Host header. */
function parseAbsolute(head: RequestHead): AbsoluteTarget | Routed {
  const refuse = (status: number, code: string, message: string) => refusal(status, code, message);
  if (!head.target.startsWith("http://")) {
    return refuse(400, "request-target", "a proxy request needs an absolute http:// target");
  }
  let url: URL;
  try {
    url = new URL(head.target);
  } catch {
    return refuse(400, "request-target", "the request target is not a valid URL");
  }
  if (url.username || url.password)
    return refuse(400, "request-target", "credentials in the URL are not relayed");
  if (head.host !== undefined && !sameAuthority(head.host, url)) {
    return refuse(400, "host-mismatch", "Host header differs from the request target");
  }
  return {
    host: url.hostname.replace(/^\[|\]$/g, ""),
    port: url.port === "" ? 80 : Number(url.port),
    pathname: url.pathname,
    path: `${url.pathname}${url.search}`,
  };
}

function sameAuthority(hostHeader: string, url: URL): boolean {
  try {
    return new URL(`http://${hostHeader}`).host === url.host;
  } catch {
    return false;
  }
}
