import cluster, { type Worker } from "node:cluster";
import type { BundlePayload } from "@ringfence/engine/bundle";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { GatewayConfig } from "../config.ts";
import { compilePolicy, FAIL_CLOSED, FAIL_OPEN, PolicyHolder } from "../engine/policy.ts";
import { listen, opsServer, startGateway } from "../gateway.ts";
import { type MetricsSnapshot, renderMetrics, sumSnapshots } from "../metrics.ts";
import { type GatewayProcess, listenerOptions, startControlSide } from "./run.ts";

/**
 * Cluster mode, who does what:
 * - the primary registers, long-polls and verifies bundles, persists them, ships and spools
 *   events, and serves /metrics, /healthz and /readyz; it never handles client traffic;
 * - each worker runs the proxy listener (the port is shared through node:cluster), receives
 *   every verified policy over IPC and compiles it itself, and sends its events and metric
 *   snapshots to the primary.
 * Workers never talk to the control plane, so one credential and one spool serve the machine.
 */
type ToWorker =
  | { type: "policy"; version: number; policy: unknown }
  | { type: "shutdown"; graceMs: number };
type ToPrimary =
  | { type: "events"; events: DecisionEvent[] }
  | { type: "metrics"; snapshot: MetricsSnapshot };

/** Runs the primary: forks `config.workers` workers and resolves once all are listening. */
export async function runClusterPrimary(config: GatewayConfig): Promise<GatewayProcess> {
  let latest: BundlePayload | undefined;
  const snapshots = new Map<number, MetricsSnapshot>();
  const policyMessage = (payload: BundlePayload): ToWorker => ({
    type: "policy",
    version: payload.version,
    policy: payload.policy,
  });
  const side = await startControlSide(config, {
    onPolicy: (payload) => {
      latest = payload;
      for (const worker of Object.values(cluster.workers ?? {}))
        worker?.send(policyMessage(payload));
    },
  });

  let stopping = false;
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("online", () => {
      if (latest) worker.send(policyMessage(latest));
    });
    worker.on("message", (message: ToPrimary) => {
      if (message.type === "events") for (const event of message.events) side.shipper.push(event);
      if (message.type === "metrics") snapshots.set(worker.id, message.snapshot);
    });
    worker.on("exit", () => {
      snapshots.delete(worker.id);
      if (!stopping) fork();
    });
    return worker;
  };
  const listening = Array.from({ length: config.workers }, () => {
    const worker = fork();
    return new Promise<number>((resolve) =>
      worker.once("listening", (address) => resolve(address.port)),
    );
  });
  const ports = await Promise.all(listening);

  const ops = opsServer({
    metrics: () =>
      renderMetrics(sumSnapshots([...snapshots.values()]), {
        bundleVersion: side.policy.current.version,
        spoolDepth: side.shipper.spoolDepth,
        spoolDropped: side.shipper.dropped,
      }),
    ready: () => side.policy.current.version > 0,
  });
  const metricsPort = await listen(ops, config.listen.metrics);
  side.run();

  return {
    gateway: undefined,
    readyLine: {
      ready: "gateway",
      proxy: ports[0] ?? null,
      metrics: metricsPort,
      workers: config.workers,
      bundleVersion: side.policy.current.version,
      pid: process.pid,
    },
    stop: async () => {
      stopping = true;
      ops.close();
      const exits = Object.values(cluster.workers ?? {}).map((worker) => {
        if (!worker) return Promise.resolve();
        const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
        worker.send({ type: "shutdown", graceMs: config.shutdownGraceMs } satisfies ToWorker);
        return exited;
      });
      await Promise.all(exits);
      await side.stop();
    },
  };
}

/** Runs one worker: the proxy with a policy pushed by the primary. */
export async function runClusterWorker(config: GatewayConfig): Promise<void> {
  const policy = new PolicyHolder(config.failClosed ? FAIL_CLOSED : FAIL_OPEN);
  let pending: DecisionEvent[] = [];
  const send = (message: ToPrimary) => process.send?.(message);
  const gateway = await startGateway({
    ...(await listenerOptions(config)),
    enforcerId: config.name,
    policy,
    emit: (event) => pending.push(event),
  });
  const flush = () => {
    if (pending.length > 0) send({ type: "events", events: pending });
    pending = [];
    send({ type: "metrics", snapshot: gateway.context.metrics.snapshot() });
  };
  const timer = setInterval(flush, 250);

  process.on("message", async (message: ToWorker) => {
    if (message.type === "policy") {
      try {
        policy.swap(compilePolicy(message.policy, message.version));
      } catch {
        // The primary verified this bundle and compiled it already; keep the current policy.
      }
    }
    if (message.type === "shutdown") {
      await gateway.close(message.graceMs);
      clearInterval(timer);
      flush();
      process.disconnect();
    }
  });
}
