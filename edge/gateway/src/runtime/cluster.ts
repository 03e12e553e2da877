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
 *
 * A worker announces itself with `hello` once it can receive messages and starts listening only
 * after the primary has answered with the current policy (or `no-policy`), so no worker, a
 * restarted one included, ever serves a client with less than the policy the primary holds.
 */
type ToWorker =
  | { type: "policy"; version: number; policy: unknown }
  | { type: "no-policy" }
  | { type: "shutdown"; graceMs: number };
type ToPrimary =
  | { type: "hello" }
  | { type: "events"; events: DecisionEvent[] }
  | { type: "metrics"; snapshot: MetricsSnapshot };

// A worker that has not exited this long after its grace period is killed, so a stop never hangs.
const EXIT_MARGIN_MS = 5_000;

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
  const listening = new Set<number>();
  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on("listening", () => listening.add(worker.id));
    worker.on("message", (message: ToPrimary) => {
      if (message.type === "hello")
        worker.send(latest ? policyMessage(latest) : { type: "no-policy" });
      if (message.type === "events") for (const event of message.events) side.shipper.push(event);
      if (message.type === "metrics") snapshots.set(worker.id, message.snapshot);
    });
    worker.on("exit", () => {
      snapshots.delete(worker.id);
      listening.delete(worker.id);
      if (!stopping) fork();
    });
    return worker;
  };
  const firstListen = Array.from({ length: config.workers }, () => {
    const worker = fork();
    return new Promise<number>((resolve) =>
      worker.once("listening", (address) => resolve(address.port)),
    );
  });
  const ports = await Promise.all(firstListen);

  const ops = opsServer({
    metrics: () =>
      `${renderMetrics(sumSnapshots([...snapshots.values()]), {
        bundleVersion: side.policy.current.version,
        spoolDepth: side.shipper.spoolDepth,
        spoolDropped: side.shipper.dropped,
      })}# TYPE ringfence_gateway_workers_listening gauge\nringfence_gateway_workers_listening ${listening.size}\n`,
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
        const kill = setTimeout(
          () => worker.process.kill("SIGKILL"),
          config.shutdownGraceMs + EXIT_MARGIN_MS,
        );
        worker.send({ type: "shutdown", graceMs: config.shutdownGraceMs } satisfies ToWorker);
        return exited.finally(() => clearTimeout(kill));
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
  let answered: () => void = () => undefined;
  const firstPolicy = new Promise<void>((resolve) => {
    answered = resolve;
  });
  let stop: (graceMs: number) => Promise<void> = async () => {
    process.disconnect();
  };

  // Listening for the primary comes first: a message that arrived before would be lost.
  process.on("message", async (message: ToWorker) => {
    if (message.type === "policy") {
      try {
        policy.swap(compilePolicy(message.policy, message.version));
      } catch {
        // The primary verified this bundle and compiled it already; keep the current policy.
      }
    }
    if (message.type === "policy" || message.type === "no-policy") answered();
    if (message.type === "shutdown") await stop(message.graceMs);
  });
  send({ type: "hello" });
  await firstPolicy;

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
  stop = async (graceMs) => {
    await gateway.close(graceMs);
    clearInterval(timer);
    flush();
    process.disconnect();
  };
}
