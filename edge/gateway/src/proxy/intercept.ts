import { type Decision, LastDecision } from "../engine/policy.ts";
import { gatewayFinding } from "../events/build.ts";
import type { RequestHead } from "../http/head.ts";
import { SocketReader } from "../http/reader.ts";
import type { ClientHelloInfo } from "../tls/client-hello.ts";
import { decided, type Routed, serveHttp } from "./exchange.ts";
import { terminateTls } from "./splice.ts";
import { report, type TunnelRequest } from "./tunnel.ts";

/**
 * Proxy mode: terminate the client's TLS with a leaf minted for its SNI, then serve its
 * requests through the strict HTTP path, each decided and forwarded over verified TLS.
 */
export async function intercept(request: TunnelRequest, hello: ClientHelloInfo): Promise<void> {
  const { ctx, socket, reader } = request;
  const sni = hello.sni ?? request.host;
  const refuse = (id: string, location: string) => {
    report(request, undefined, [gatewayFinding(id, "tls", location)], sni);
    socket.destroy();
  };
  if (!ctx.minter) return refuse("proxy-mode-unavailable", "configuration.ca");
  // Only HTTP/1.1 is inspected. A client offering HTTP/2 only would get frames the gateway
  // cannot read, so it is refused openly; clients offering both negotiate HTTP/1.1.
  if (hello.alpn.length > 0 && !hello.alpn.includes("http/1.1")) {
    return refuse("http2-only-refused", "client-hello.alpn");
  }

  const secureContext = await ctx.minter.contextFor(sni);
  const clientSide = terminateTls(socket, reader, secureContext);
  const tlsReader = new SocketReader(clientSide);
  const last = new LastDecision();
  try {
    await serveHttp({
      ctx,
      stream: clientSide,
      reader: tlsReader,
      src: request.src,
      route: (head) => routeIntercepted(request, sni, head, last),
    });
  } catch {
    clientSide.destroy();
  }
}

/** Decides one request; source, SNI and port are the connection's, so only the target varies. */
function decideRequest(
  request: TunnelRequest,
  sni: string,
  head: RequestHead,
  last: LastDecision,
): Decision {
  const policy = request.ctx.policy.current;
  const known = last.lookup(policy, head.target, head.method);
  if (known) return known;
  const query = head.target.indexOf("?");
  const decision = policy.decide({
    srcIp: request.src.ip,
    dstHost: sni,
    dstPort: request.port,
    sni,
    path: query === -1 ? head.target : head.target.slice(0, query),
    method: head.method,
  });
  last.remember(policy, head.target, head.method, decision);
  return decision;
}

/** The Host header's name, lower-cased, without port, brackets or trailing dot. */
export function hostWithoutPort(host: string | undefined): string | undefined {
  if (host === undefined) return undefined;
  const bracket = /^\[([^\]]+)\](?::\d+)?$/.exec(host);
  if (bracket) return bracket[1]?.toLowerCase();
  return host.replace(/:\d+$/, "").toLowerCase().replace(/\.$/, "");
}

/** Decides one decrypted request; a Host that differs from the SNI is domain fronting. */
function routeIntercepted(
  request: TunnelRequest,
  sni: string,
  head: RequestHead,
  last: LastDecision,
): Routed {
  const dst = { host: sni, port: request.port, sni };
  if (!head.target.startsWith("/")) {
    return {
      kind: "refuse",
      status: 400,
      code: "request-target",
      message: "origin-form target required inside TLS",
      decision: undefined,
      dst,
    };
  }
  if (hostWithoutPort(head.host) !== sni) {
    const finding = gatewayFinding("domain-fronting", "tls", "request.headers.host");
    return {
      kind: "refuse",
      status: 421,
      code: "domain-fronting",
      message: "Host does not match the TLS server name",
      decision: undefined,
      dst,
      finding,
    };
  }
  const decision = decideRequest(request, sni, head, last);
  return decided(decision, dst, { host: sni, port: request.port, tls: true, path: head.target });
}
