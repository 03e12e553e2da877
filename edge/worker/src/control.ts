import { ControlPlaneError, EnforcerClient } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { BundleFetcher } from "./bundle/store.ts";
import type { WorkerConfig } from "./config.ts";
import type { EventSink } from "./events/outbox.ts";

/** The software version reported to the control plane. */
export const WORKER_VERSION = "0.1.0";

/**
 * The engine's enforcer client, tuned to Workers: short deadlines, and event retries that fit
 * inside the time `ctx.waitUntil` grants after the response (about 30 s).
 */
export function createControlClient(config: WorkerConfig): EnforcerClient {
  return new EnforcerClient({
    baseUrl: config.controlPlaneUrl.href,
    credential: config.enforcerCredential,
    // Plain http is accepted only to a literal loopback address (local runs and tests); a
    // deployed worker cannot reach loopback at all.
    allowInsecureLoopback: true,
    timeoutMs: 5000,
    userAgent: `ringfence-worker/${WORKER_VERSION}`,
    retry: { maxAttempts: 4, baseDelayMs: 250, maxDelayMs: 4000 },
  });
}

/**
 * Polls without parking (`wait=0`): a worker cannot hold a request open for a long poll, so it
 * polls on its staleness schedule instead.
 */
export function controlPlaneBundleFetcher(client: EnforcerClient): BundleFetcher {
  return async (etag) => {
    try {
      const poll = await client.pollBundle({ etag, wait: 0 });
      return poll.status === "modified" ? { status: "modified", envelope: poll.envelope } : poll;
    } catch (error) {
      return { status: "error", detail: describe(error) };
    }
  };
}

/** Posts one batch; the client has already retried what was retryable when this fails. */
export function controlPlaneEventSink(client: EnforcerClient): EventSink<DecisionEvent> {
  return async (batch) => {
    try {
      await client.postEvents(batch, { signal: AbortSignal.timeout(20_000) });
      return { ok: true };
    } catch (error) {
      const retryable = error instanceof ControlPlaneError && error.retryable;
      return { ok: false, retryable, detail: describe(error) };
    }
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
