import { BundleVerifier } from "@ringfence/engine/bundle";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { resolvedPolicySchema } from "@ringfence/engine/policy";
import { BundleStore } from "./bundle/store.ts";
import { parseConfig, type WorkerConfig } from "./config.ts";
import {
  controlPlaneBundleFetcher,
  controlPlaneEventSink,
  createControlClient,
} from "./control.ts";
import { type CompiledPolicy, compilePolicy } from "./enforce.ts";
import type { Env } from "./env.ts";
import { EventOutbox } from "./events/outbox.ts";
import { importOriginKey } from "./origin/signature.ts";

/** Everything one isolate keeps between requests, built from the first request's bindings. */
export interface Runtime {
  config: WorkerConfig;
  originKey: Promise<CryptoKey>;
  bundles: BundleStore<CompiledPolicy>;
  events: EventOutbox<DecisionEvent>;
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
  const verifier = BundleVerifier.create(config.organizationId, config.trustedKeys, {
    policySchema: resolvedPolicySchema,
  });
  const client = createControlClient(config);

  const bundles = new BundleStore<CompiledPolicy>({
    fetch: controlPlaneBundleFetcher(client),
    verify: async (envelope) => {
      const outcome = await verifier.verify(envelope);
      if (!outcome.ok) return outcome;
      try {
        const value = compilePolicy(outcome.payload.policy);
        return { ok: true, version: outcome.payload.version, hash: outcome.hash, value };
      } catch (error) {
        return { ok: false, code: "uncompilable-policy", message: String(error) };
      }
    },
    maxStalenessMs: config.bundleMaxStalenessMs,
    cache: typeof caches === "undefined" ? undefined : caches.default,
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
  return { config, originKey: importOriginKey(config.originSigningSecret), bundles, events };
}
