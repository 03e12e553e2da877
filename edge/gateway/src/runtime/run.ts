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
import { type RunningGateway, startGateway } from "../gateway.ts";
import { trustedHops } from "../proxy/identity.ts";
import { BundleSync } from "../sync/bundle-sync.ts";
import { StateStore } from "../sync/store.ts";
import { connectControlPlane } from "./control.ts";

/** A gateway process with its sync loop and event shipping. */
export type GatewayProcess = {
  gateway: RunningGateway;
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

/** Starts everything a single-process gateway runs; cluster mode reuses the pieces. */
export async function runGateway(
  config: GatewayConfig,
  hooks: ProcessHooks = {},
): Promise<GatewayProcess> {
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

  const gateway = await startGateway({
    enforcerId: control?.enforcerId ?? config.name,
    proxy: config.listen.proxy,
    metrics: config.listen.metrics,
    policy,
    resolver: resolverFrom(config.resolver),
    egressAllow: config.egress.allow,
    upstreamCa: config.upstreamCaFile ? [await readFile(config.upstreamCaFile, "utf8")] : undefined,
    orgCa: config.orgCa
      ? {
          certPem: await readFile(config.orgCa.certFile, "utf8"),
          keyPem: await readFile(config.orgCa.keyFile, "utf8"),
        }
      : undefined,
    trustedHops: trustedHops(
      config.trustedHops.cidrs,
      config.trustedHops.proxyProtocol,
      config.trustedHops.forwardedFor,
    ),
    emit: (event) => shipper.push(event),
    gauges: () => ({
      bundleVersion: policy.current.version,
      spoolDepth: shipper.spoolDepth,
      spoolDropped: shipper.dropped,
    }),
  });
  const loop = sync?.run();

  return {
    gateway,
    readyLine: {
      ready: "gateway",
      proxy: gateway.proxyPort,
      metrics: gateway.metricsPort ?? null,
      bundleVersion: policy.current.version,
      pid: process.pid,
    },
    stop: async () => {
      sync?.stop();
      await gateway.close(config.shutdownGraceMs);
      await loop;
      await shipper.stop();
    },
  };
}
