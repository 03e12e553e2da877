import type { DecisionEvent } from "@ringfence/engine/documents";
import { BundleStore } from "./bundle/store.ts";
import { persistVerifierState, restoreVerifier } from "./bundle/verifier-state.ts";
import { parseConfig, type WorkerConfig } from "./config.ts";
import {
  controlPlaneBundleFetcher,
  controlPlaneEventSink,
  createControlClient,
  WORKER_VERSION,
} from "./control.ts";
import { type CompiledPolicy, compilePolicy } from "./enforce.ts";
import type { Env } from "./env.ts";
import { EventOutbox } from "./events/outbox.ts";
import { Heartbeat } from "./heartbeat.ts";
import { importOriginKey } from "./origin/signature.ts";

/** Everything one isolate keeps between requests, built from the first request's bindings. */
export interface Runtime {
  config: WorkerConfig;
  originKey: Promise<CryptoKey>;
  bundles: BundleStore<CompiledPolicy>;
  events: EventOutbox<DecisionEvent>;
  heartbeat: Heartbeat;
}

// Bindings are fixed for the life of an isolate, so one runtime per bindings object suffices;
// the WeakMap lets tests that pass their own bindings get runtimes of their own.
const runtimes = new WeakMap<Env, Runtime>();

/** Returns the isolate's runtime, creating it on first use; throws ConfigError when misconfigured. */
export function runtimeFor(env: Env): Runtime {
  let runtime = runtimes.get(env);
  if (runtime === undefined) {
    runtime = createRuntime(env);
    runtimes.set(env, runtime);
  }
  return runtime;
}

function createRuntime(env: Env): Runtime {
  const config = parseConfig(env);
  const cache = typeof caches === "undefined" ? undefined : caches.default;
  const stores = {
    cache,
    kv: env.BUNDLES,
    key: `verifier/${config.organizationId}/${config.enforcerId}`,
  };
  const verifier = restoreVerifier(config.organizationId, config.trustedKeys, stores);
  const client = createControlClient(config);

  const bundles = new BundleStore<CompiledPolicy>({
    fetch: controlPlaneBundleFetcher(client),
    verify: async (envelope) => {
      const held = await verifier;
      const outcome = await held.verify(envelope);
      if (!outcome.ok) return outcome;
      if (outcome.status !== "unchanged") {
        const problem = await persistVerifierState(stores, held.state);
        if (problem !== undefined) console.error(JSON.stringify({ msg: problem }));
      }
      try {
        const value = compilePolicy(outcome.payload.policy);
        return { ok: true, version: outcome.payload.version, hash: outcome.hash, value };
      } catch (error) {
        return { ok: false, code: "uncompilable-policy", message: String(error) };
      }
    },
    maxStalenessMs: config.bundleMaxStalenessMs,
    cache,
    kv: env.BUNDLES,
    kvKey: `bundle/${config.organizationId}`,
    cacheKey: `bundle/${config.organizationId}/${config.enforcerId}`,
  });

  // The client retries 429/5xx itself (honouring Retry-After), so the outbox makes one call
  // per batch and only counts what the client finally gave up on.
  const events = new EventOutbox<DecisionEvent>(controlPlaneEventSink(client), {
    batchSize: config.eventBatchSize,
    lingerMs: config.eventLingerMs,
    maxAttempts: 1,
  });
  const heartbeat = new Heartbeat({
    bundle: () => bundles.stats(),
    events: () => events.stats(),
    send: (report) => client.reportStatus(report),
    softwareVersion: WORKER_VERSION,
  });
  const originKey = importOriginKey(config.originSigningSecret);
  return { config, originKey, bundles, events, heartbeat };
}
