import net from "node:net";
import type { Detection } from "@ringfence/engine/documents";
import type { GatewayContext } from "../context.ts";
import { dialTcp, EgressBlocked, judgedAddress } from "../egress/dial.ts";
import type { Decision } from "../engine/policy.ts";
import { buildEvent, gatewayFinding } from "../events/build.ts";
import type { RequestHead } from "../http/head.ts";
import type { SocketReader } from "../http/reader.ts";
import { sendError, writeAll } from "../http/response.ts";
import type { ClientHelloInfo } from "../tls/client-hello.ts";
import { awaitClientHello } from "./hello.ts";
import { intercept } from "./intercept.ts";
import { splice } from "./splice.ts";

/** A CONNECT in progress: who asked, for which authority. */
export type TunnelRequest = {
  ctx: GatewayContext;
  socket: net.Socket;
  reader: SocketReader;
  src: { ip: string; port?: number };
  host: string;
  port: number;
};

const AUTHORITY = /^(?:\[([0-9a-fA-F:.]+)\]|([A-Za-z0-9.-]+)):([0-9]{1,5})$/;

/** Parses a CONNECT target (`host:port`, IPv6 in brackets); undefined when malformed. */
export function parseAuthority(target: string): { host: string; port: number } | undefined {
  const match = AUTHORITY.exec(target);
  const host = match?.[1] ?? match?.[2];
  const port = Number(match?.[3]);
  if (!host || !Number.isInteger(port) || port < 1 || port > 65535) return undefined;
  if (match?.[1] !== undefined && !net.isIPv6(host)) return undefined;
  return { host: host.toLowerCase().replace(/\.$/, ""), port };
}

/** Handles `CONNECT host:port`: early decision, ClientHello checks, then splice or intercept. */
export async function handleConnect(
  ctx: GatewayContext,
  socket: net.Socket,
  reader: SocketReader,
  head: RequestHead,
  src: TunnelRequest["src"],
): Promise<void> {
  const authority = parseAuthority(head.target);
  if (!authority) {
    sendError(socket, 400, "connect-target", "CONNECT target must be host:port", "");
    return;
  }
  const request: TunnelRequest = { ctx, socket, reader, src, ...authority };
  const early = admit(request, authority.host);
  if (early.denied) {
    const message = early.finding ? PROXY_MODE_NEEDED : "policy denies this destination";
    sendError(socket, 403, "denied", message, "");
    report(request, early.decision, early.finding ? [early.finding] : [], undefined);
    return;
  }

  await writeAll(socket, "HTTP/1.1 200 Connection Established\r\n\r\n");
  const outcome = await awaitClientHello(reader, ctx.limits.helloTimeoutMs);
  if (!outcome.ok) {
    report(
      request,
      early.decision,
      [gatewayFinding(outcome.reason, "tls", "client-hello")],
      undefined,
    );
    socket.destroy();
    return;
  }
  const { hello } = outcome;
  const { decision, denied, finding } = admit(request, hello.sni ?? authority.host, hello.sni);
  const findings = [...helloFindings(request, hello), ...(finding ? [finding] : [])];
  if (findings.length > 0 || denied) {
    report(request, decision, findings, hello.sni);
    socket.destroy();
    return;
  }
  report(request, decision, [], hello.sni);
  if (decision.mode === "proxy") await intercept(request, hello);
  else await relay(request);
}

const PROXY_MODE_NEEDED =
  "the rule for this destination matches on the request path, which only proxy mode can read";

/** A connection decision: the decision to report, and whether the tunnel is refused. */
type Admission = { decision: Decision; denied: boolean; finding?: Detection };

/**
 * Decides a tunnel before its requests can be read. A connection the host alone denies is
 * still admitted when a proxy-mode rule that needs the request path (a path-style S3 bucket)
 * could allow a request on it and the gateway can intercept: each request inside is then
 * decided with its path, and one under no allowed prefix is refused there. Without
 * interception (no organisation CA), or for a forwarding-mode rule with a path, the path can
 * never be read, so the tunnel is denied with a finding that says so. The same holds the other
 * way round: a host allowed in forwarding mode is refused when an earlier rule denies a path on
 * it, since the relayed bytes are never read and that deny could not be enforced.
 */
function admit(request: TunnelRequest, host: string, sni?: string): Admission {
  const started = performance.now();
  const { decision, byRequest } = request.ctx.policy.current.decideConnection({
    srcIp: request.src.ip,
    dstHost: net.isIP(host) ? undefined : host,
    dstIp: net.isIP(host) ? host : undefined,
    dstPort: request.port,
    sni,
  });
  request.ctx.metrics.recordDecision(decision.action, "connection", performance.now() - started);
  if (decision.action === "allow" || decision.monitor) {
    // A tunnel relayed in forwarding mode is never read, so an earlier rule that denies some
    // path on this host could not hold: refuse the tunnel rather than let the path through.
    const pathDeny =
      decision.mode === "proxy"
        ? undefined
        : byRequest.find((candidate) => candidate.action !== "allow" && !candidate.monitor);
    if (!pathDeny) return { decision, denied: false };
    return { decision: pathDeny, denied: true, finding: needsProxyMode(pathDeny) };
  }

  const byPath = byRequest.find((candidate) => candidate.action === "allow");
  if (!byPath) return { decision, denied: true };
  if (byPath.mode === "proxy" && request.ctx.minter) return { decision: byPath, denied: false };
  return { decision, denied: true, finding: needsProxyMode(byPath) };
}

function needsProxyMode(rule: Decision): Detection {
  return {
    ...gatewayFinding("path-rule-needs-proxy-mode", "policy", "request.path"),
    evidence: `rule ${rule.ruleId ?? ""}: ${PROXY_MODE_NEEDED}`,
  };
}

/**
 * Anomalies that deny a tunnel whatever the rules say: without an SNI, with an SNI that differs
 * from the CONNECT authority, or with Encrypted ClientHello, the gateway cannot know where the
 * encrypted stream really goes.
 */
function helloFindings(request: TunnelRequest, hello: ClientHelloInfo): Detection[] {
  const findings: Detection[] = [];
  if (hello.ech) findings.push(gatewayFinding("ech", "tls", "client-hello.ech"));
  if (hello.sni === undefined) findings.push(gatewayFinding("no-sni", "tls", "client-hello.sni"));
  else if (hello.sni !== request.host) {
    findings.push(gatewayFinding("sni-mismatch", "tls", "client-hello.sni"));
  }
  return findings;
}

/** Records one connection decision. */
export function report(
  request: TunnelRequest,
  decision: Decision | undefined,
  findings: Detection[],
  sni: string | undefined,
  bytes?: { in: number; out: number },
): void {
  request.ctx.emit(
    buildEvent({
      enforcerId: request.ctx.enforcerId,
      kind: "connection",
      decision,
      findings,
      src: request.src,
      dst: { host: request.host, port: request.port, sni },
      bytes,
    }),
  );
}

/** Forwarding mode: connect to the judged address and relay the encrypted bytes untouched. */
async function relay(request: TunnelRequest): Promise<void> {
  const { ctx, socket, reader } = request;
  let upstream: net.Socket;
  try {
    const address = await judgedAddress(ctx.egress, request.host, request.port);
    upstream = await dialTcp(address, request.port);
  } catch (error) {
    const id =
      error instanceof EgressBlocked ? `egress.${error.verdict.reason}` : "upstream-failed";
    report(request, undefined, [gatewayFinding(id, "egress", "destination")], request.host);
    socket.destroy();
    return;
  }
  upstream.write(reader.detach());
  await splice(socket, upstream);
}
