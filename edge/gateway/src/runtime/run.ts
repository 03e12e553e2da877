import { lookup } from "node:dns/promises";
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { BundlePayload } from "@ringfence/engine/bundle";
import type { GatewayConfig } from "../config.ts";
import { type Resolver, staticResolver } from "../egress/dial.ts";
import {
  compilePolicy,
  FAIL_CLOSED,
  FAIL_OPEN,
  type PolicyHandle,
  PolicyHolder,
} from "../engine/policy.ts";
import { EventShipper } from "../events/spool.ts";
import { type GatewayOptions, type RunningGateway, startGateway } from "../gateway.ts";
import { trustedHops } from "../proxy/identity.ts";
import type { ReverseOptions } from "../reverse/listener.ts";
import { s3Options } from "../s3/config.ts";
import { BundleSync } from "../sync/bundle-sync.ts";
import { StateStore } from "../sync/store.ts";
import { connectControlPlane } from "./control.ts";

/** A gateway process with its sync loop and event shipping. */
export type GatewayProcess = {
  /** The proxy running in this process; undefined in a cluster primary. */
  gateway: RunningGateway | undefined;
  /** The one machine-readable line printed when the gateway is ready. */
  readyLine: Record<string, unknown>;
  stop(): Promise<void>;
};

/** The resolver named by the configuration. The system one is never used by tests. */
export function resolverFrom(config: GatewayConfig["resolver"]): Resolver {
  if (config.kind === "static") return staticResolver(config.hosts);
  return async (hostname) =>
    (await lookup(hostname, { all: true, verbatim: true })).map((a) => a.address);
}

/** Compiles a verified bundle payload into the handle the proxy decides with. */
export function compileBundle(payload: BundlePayload): PolicyHandle {
  return compilePolicy(payload.policy, payload.version);
}

export type ProcessHooks = {
  /** Called with every payload adopted (cluster primaries forward it to workers). */
  onPolicy?: (payload: BundlePayload) => void;
  log?: (message: string, fields: Record<string, unknown>) => void;
};

/** The control-plane side of a gateway: sync loop and event shipping (the cluster primary's job). */
export type ControlSide = {
  policy: PolicyHolder;
  shipper: EventShipper;
  enforcerId: string;
  /** Starts the long-poll loop after the proxy is listening. */
  run(): void;
  stop(): Promise<void>;
};

/** Registers if needed, restores the last good bundle and prepares sync and event shipping. */
export async function startControlSide(
  config: GatewayConfig,
  hooks: ProcessHooks = {},
): Promise<ControlSide> {
  const store = new StateStore(config.stateDir);
  const policy = new PolicyHolder(config.failClosed ? FAIL_CLOSED : FAIL_OPEN);
  const control = config.controlPlane
    ? await connectControlPlane(config.controlPlane, store)
    : undefined;
  const shipper = new EventShipper({
    send: async (batch) => {
      if (!control) throw new Error("no control plane configured");
      await control.client.postEvents(batch);
    },
    spoolDir: path.join(config.stateDir, "spool"),
    ...config.events,
  });
  await shipper.start();
  const sync =
    control && config.controlPlane
      ? new BundleSync({
          client: control.client,
          verifier: control.verifier,
          store,
          policy,
          compile: compileBundle,
          onSwap: (payload) => hooks.onPolicy?.(payload),
          waitSeconds: config.controlPlane.waitSeconds,
          log: hooks.log,
        })
      : undefined;
  await sync?.restore();
  let loop: Promise<void> | undefined;
  return {
    policy,
    shipper,
    enforcerId: control?.enforcerId ?? config.name,
    run: () => {
      loop = sync?.run();
    },
    stop: async () => {
      sync?.stop();
      await loop;
      await shipper.stop();
    },
  };
}

/** Starts a single-process gateway: control side and proxy in one process. */
export async function runGateway(
  config: GatewayConfig,
  hooks: ProcessHooks = {},
): Promise<SingleProcess> {
  const side = await startControlSide(config, hooks);
  const { policy, shipper } = side;
  const gateway = await startGateway({
    ...(await listenerOptions(config)),
    enforcerId: side.enforcerId,
    metrics: config.listen.metrics,
    policy,
    emit: (event) => shipper.push(event),
    gauges: () => ({
      bundleVersion: policy.current.version,
      spoolDepth: shipper.spoolDepth,
      spoolDropped: shipper.dropped,
    }),
  });
  side.run();
  return {
    gateway,
    readyLine: {
      ready: "gateway",
      proxy: gateway.proxyPort,
      ...(gateway.reversePort === undefined ? {} : { reverse: gateway.reversePort }),
      ...(gateway.s3Port === undefined ? {} : { s3: gateway.s3Port }),
      metrics: gateway.metricsPort ?? null,
      bundleVersion: policy.current.version,
      pid: process.pid,
    },
    stop: async () => {
      await gateway.close(config.shutdownGraceMs);
      await side.stop();
    },
  };
}

/** A gateway whose proxy runs in this process. */
export type SingleProcess = GatewayProcess & { gateway: RunningGateway };

/** The proxy-listener settings shared by single-process gateways and cluster workers. */
export async function listenerOptions(
  config: GatewayConfig,
): Promise<Omit<GatewayOptions, "enforcerId" | "policy" | "emit">> {
  const read = (file: string) => readFile(file, "utf8");
  return {
    proxy: config.listen.proxy,
    resolver: resolverFrom(config.resolver),
    egressAllow: config.egress.allow,
    upstreamCa: config.upstreamCaFile ? [await read(config.upstreamCaFile)] : undefined,
    orgCa: config.orgCa
      ? { certPem: await read(config.orgCa.certFile), keyPem: await read(config.orgCa.keyFile) }
      : undefined,
    trustedHops: trustedHops(
      config.trustedHops.cidrs,
      config.trustedHops.proxyProtocol,
      config.trustedHops.forwardedFor,
    ),
    reverse: config.reverse ? await reverseOptions(config.reverse, read) : undefined,
    s3: config.s3 ? await s3Options(config.s3, read) : undefined,
  };
}

/** Reads the reverse proxy's certificate and per-route trust anchors named in the config. */
async function reverseOptions(
  reverse: NonNullable<GatewayConfig["reverse"]>,
  read: (file: string) => Promise<string>,
): Promise<ReverseOptions> {
  const routes = await Promise.all(
    reverse.routes.map(async (route) => ({
      host: route.host,
      pathPrefix: route.pathPrefix,
      upstream: route.upstream,
      profiles: route.profiles,
      upstreamCa: route.upstreamCaFile ? [await read(route.upstreamCaFile)] : undefined,
    })),
  );
  const tls = reverse.tls
    ? { certPem: await read(reverse.tls.certFile), keyPem: await read(reverse.tls.keyFile) }
    : undefined;
  return { listen: reverse.listen, tls, routes };
}
