import http from "node:http";
import net from "node:net";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { GatewayContext, GatewayLimits } from "./context.ts";
import type { Resolver } from "./egress/dial.ts";
import { engineEgressGuard } from "./egress/guard.ts";
import { UpstreamPool } from "./egress/upstream.ts";
import type { PolicyHolder } from "./engine/policy.ts";
import { DEFAULT_HEAD_LIMITS } from "./http/head.ts";
import { Metrics, renderMetrics } from "./metrics.ts";
import { handleForwardConnection } from "./proxy/forward.ts";
import { type TrustedHops, trustedHops } from "./proxy/identity.ts";
import { createReverseServer, type ReverseOptions } from "./reverse/listener.ts";
import { createS3Server, type S3EndpointOptions } from "./s3/endpoint.ts";
import { loadCa, type PemPair } from "./tls/ca.ts";
import { LeafMinter } from "./tls/minter.ts";

/** Everything a gateway process needs, already validated (see config.ts for the file form). */
export type GatewayOptions = {
  enforcerId: string;
  proxy: { host: string; port: number };
  /** Metrics and health listener; keep it on loopback. */
  metrics?: { host: string; port: number };
  policy: PolicyHolder;
  resolver: Resolver;
  /** CIDRs and hostnames of internal destinations clients may reach. */
  egressAllow?: string[];
  /** How long a resolver answer is reused (re-judged on every request); 0 asks every time. */
  resolverCacheMs?: number;
  /** Trust anchors for upstream TLS (PEM); the system store when absent. */
  upstreamCa?: string[];
  /** The organisation CA that signs minted leaves; proxy mode is refused without it. */
  orgCa?: PemPair;
  trustedHops?: TrustedHops;
  /** The reverse proxy for inbound applications; not started when absent. */
  reverse?: ReverseOptions;
  /** The S3 proxy endpoint; not started when absent. */
  s3?: S3EndpointOptions;
  limits?: Partial<GatewayLimits>;
  emit(event: DecisionEvent): void;
  /** Extra gauges shown on /metrics (bundle sync and spool state live outside the proxy). */
  gauges?: () => { bundleVersion: number; spoolDepth: number; spoolDropped: number };
  /** Readiness as seen by the operator: false until a policy is enforceable. */
  ready?: () => boolean;
};

/** A running gateway: bound ports and a graceful stop. */
export type RunningGateway = {
  proxyPort: number;
  /** Bound port of the reverse-proxy listener, when one is configured. */
  reversePort: number | undefined;
  /** Bound port of the S3 endpoint, when one is configured. */
  s3Port: number | undefined;
  metricsPort: number | undefined;
  context: GatewayContext;
  /** Stops accepting, lets open connections finish for up to `graceMs`, then closes the rest. */
  close(graceMs?: number): Promise<void>;
};

const DEFAULT_LIMITS: GatewayLimits = {
  head: DEFAULT_HEAD_LIMITS,
  helloTimeoutMs: 10_000,
  maxBufferedBody: 1024 * 1024,
  idleTimeoutMs: 120_000,
};

/** Starts the forward proxy listener (and the metrics listener when configured). */
export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  const context: GatewayContext = {
    enforcerId: options.enforcerId,
    policy: options.policy,
    egress: engineEgressGuard(options.resolver, options.egressAllow ?? [], options.resolverCacheMs),
    upstream: new UpstreamPool({ ca: options.upstreamCa }),
    minter: options.orgCa ? new LeafMinter(await loadCa(options.orgCa)) : undefined,
    trustedHops: options.trustedHops ?? trustedHops([]),
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    metrics: new Metrics(),
    emit: options.emit,
  };
  const sockets = new Set<net.Socket>();
  const proxy = net.createServer((socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
    handleForwardConnection(context, socket);
  });
  const proxyPort = await listen(proxy, options.proxy);
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  };
  const reverse = options.reverse
    ? createReverseServer(context, options.reverse, track)
    : undefined;
  const reversePort =
    reverse && options.reverse ? await listen(reverse.server, options.reverse.listen) : undefined;
  if (reverse && reversePort !== undefined) reverse.bind(reversePort);
  const s3 = options.s3 ? createS3Server(context, options.s3, track) : undefined;
  const s3Port = s3 && options.s3 ? await listen(s3.server, options.s3.listen) : undefined;
  if (s3 && s3Port !== undefined) s3.bind(s3Port);
  const metricsServer = options.metrics ? metricsListener(context, options) : undefined;
  const metricsPort =
    metricsServer && options.metrics ? await listen(metricsServer, options.metrics) : undefined;

  return {
    proxyPort,
    reversePort,
    s3Port,
    metricsPort,
    context,
    close: async (graceMs = 5_000) => {
      proxy.close();
      reverse?.server.close();
      s3?.server.close();
      metricsServer?.close();
      await drain(sockets, graceMs);
      await context.upstream.close();
      await reverse?.closePools();
      await options.s3?.upstream.pool?.close();
    },
  };
}

function listen(server: net.Server, at: { host: string; port: number }): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(at.port, at.host, () => {
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : at.port);
    });
  });
}

async function drain(sockets: Set<net.Socket>, graceMs: number): Promise<void> {
  const deadline = Date.now() + graceMs;
  while (sockets.size > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const socket of sockets) socket.destroy();
}

function metricsListener(context: GatewayContext, options: GatewayOptions): http.Server {
  return opsServer({
    metrics: () => {
      const gauges = options.gauges?.() ?? {
        bundleVersion: context.policy.current.version,
        spoolDepth: 0,
        spoolDropped: 0,
      };
      return renderMetrics(context.metrics.snapshot(), gauges);
    },
    ready: () => options.ready?.() ?? context.policy.current.version > 0,
  });
}

/** What the operations listener reports. */
export type OpsSource = { metrics: () => string; ready: () => boolean };

/**
 * The operations listener: Prometheus `/metrics`, liveness `/healthz` and readiness `/readyz`
 * (ready once a verified bundle is enforced). Bind it to loopback only.
 */
export function opsServer(source: OpsSource): http.Server {
  return http.createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0];
    if (path === "/metrics") {
      response.writeHead(200, { "content-type": "text/plain; version=0.0.4" });
      response.end(source.metrics());
      return;
    }
    if (path === "/healthz") {
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}');
      return;
    }
    if (path === "/readyz") {
      const ready = source.ready();
      response.writeHead(ready ? 200 : 503, { "content-type": "application/json" });
      response.end(JSON.stringify({ ready }));
      return;
    }
    response.writeHead(404, { "content-type": "application/json" });
    response.end('{"error":{"code":"not-found","message":"no such endpoint"}}');
  });
}

/** Listens on `at` and resolves with the bound port. */
export { listen };
