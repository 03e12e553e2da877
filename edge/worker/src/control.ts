import { CONTROL_PATHS } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { BundleFetcher } from "./bundle/store.ts";
import type { WorkerConfig } from "./config.ts";
import type { EventSink } from "./events/outbox.ts";

const CONTROL_TIMEOUT_MS = 5000;

function headers(config: WorkerConfig, extra: Record<string, string> = {}): Headers {
  return new Headers({ authorization: `Bearer ${config.enforcerCredential}`, ...extra });
}

/**
 * Polls the control plane for the organisation's bundle without parking (`wait=0`): a worker
 * cannot hold a request open for a long poll, so it polls on its staleness schedule instead.
 */
export function controlPlaneBundleFetcher(config: WorkerConfig): BundleFetcher {
  return async (etag) => {
    const url = new URL(CONTROL_PATHS.bundle, config.controlPlaneUrl);
    url.searchParams.set("wait", "0");
    const extra: Record<string, string> =
      etag === undefined ? {} : { "if-none-match": `"${etag}"` };
    try {
      const response = await fetch(url, {
        headers: headers(config, extra),
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      if (response.status === 304) return { status: "not-modified" };
      if (!response.ok) {
        await response.body?.cancel();
        return { status: "error", detail: `bundle poll answered ${response.status}` };
      }
      return { status: "modified", envelope: await response.json() };
    } catch (error) {
      return { status: "error", detail: `bundle poll failed: ${String(error)}` };
    }
  };
}

/** Posts one batch of events; 5xx, 429 and network failures are retryable, other codes not. */
export function controlPlaneEventSink(config: WorkerConfig): EventSink<DecisionEvent> {
  return async (batch) => {
    const url = new URL(CONTROL_PATHS.events, config.controlPlaneUrl);
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: headers(config, { "content-type": "application/json" }),
        body: JSON.stringify({ events: batch }),
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (response.ok) return { ok: true };
      const retryable = response.status === 429 || response.status >= 500;
      return { ok: false, retryable, detail: `events post answered ${response.status}` };
    } catch (error) {
      return { ok: false, retryable: true, detail: `events post failed: ${String(error)}` };
    }
  };
}
