/**
 * The bundle verifier's state (trusted keys, newest version accepted) kept beyond one isolate.
 * An isolate starts empty; without this, a fresh isolate whose cached bundle was evicted would
 * accept an older signed bundle a compromised or rolled-back source offered it. The state is
 * written to the Cache API (the isolates of a data centre) and, when bound, to KV (every data
 * centre) after each newly accepted version, and the newest copy is restored at start.
 */
import { BundleVerifier, type VerifierState, verifierStateSchema } from "@ringfence/engine/bundle";
import { type ResolvedPolicy, resolvedPolicySchema } from "@ringfence/engine/policy";

export interface VerifierStateStores {
  cache?: Cache;
  kv?: KVNamespace;
  /** Names this enforcer's copy: `verifier/<organisation>/<enforcer id>`. */
  key: string;
}

export type PolicyVerifier = BundleVerifier<ResolvedPolicy>;

const CACHE_ORIGIN = "https://ringfence-bundle.internal/";

/**
 * The verifier for this isolate: the configured organisation and keys, advanced to the newest
 * persisted state. A persisted state for another organisation, or one that does not parse, is
 * ignored (and logged), never trusted; keys configured since it was written are added to it.
 */
export async function restoreVerifier(
  organizationId: string,
  configuredKeys: VerifierState["trustedKeys"],
  stores: VerifierStateStores,
): Promise<PolicyVerifier> {
  const options = { policySchema: resolvedPolicySchema };
  const found = await Promise.all([readCache(stores), readKv(stores)]);
  const usable = found.flatMap((candidate) => {
    if (candidate === undefined) return [];
    const parsed = verifierStateSchema.safeParse(candidate);
    if (parsed.success && parsed.data.organizationId === organizationId) return [parsed.data];
    const why = parsed.success ? "another organisation" : parsed.error.issues[0]?.message;
    console.error(JSON.stringify({ msg: "verifier state ignored", key: stores.key, why }));
    return [];
  });
  const newest = usable.sort((a, b) => (b.current?.version ?? 0) - (a.current?.version ?? 0))[0];
  if (newest === undefined) return BundleVerifier.create(organizationId, configuredKeys, options);

  const known = new Set(newest.trustedKeys.map((key) => key.keyId));
  const added = configuredKeys.filter((key) => !known.has(key.keyId));
  const trustedKeys = [...newest.trustedKeys, ...added];
  return BundleVerifier.restore({ ...newest, trustedKeys }, options);
}

/** Writes the state to every store; a failed write is reported, the verdict stands. */
export async function persistVerifierState(
  stores: VerifierStateStores,
  state: VerifierState,
): Promise<string | undefined> {
  const body = JSON.stringify(state);
  const writes = [
    stores.cache?.put(cacheUrl(stores), new Response(body, { headers: CACHE_HEADERS })),
    stores.kv?.put(stores.key, body),
  ];
  const failed = (await Promise.allSettled(writes)).find((r) => r.status === "rejected");
  return failed === undefined ? undefined : `verifier state not saved: ${String(failed.reason)}`;
}

const CACHE_HEADERS = { "content-type": "application/json", "cache-control": "max-age=31536000" };

async function readCache(stores: VerifierStateStores): Promise<unknown> {
  const response = await stores.cache?.match(cacheUrl(stores)).catch(() => undefined);
  return response?.json().catch(() => undefined);
}

async function readKv(stores: VerifierStateStores): Promise<unknown> {
  try {
    return (await stores.kv?.get(stores.key, "json")) ?? undefined;
  } catch (error) {
    console.error(JSON.stringify({ msg: "verifier state unreadable", error: String(error) }));
    return undefined;
  }
}

function cacheUrl(stores: VerifierStateStores): string {
  return `${CACHE_ORIGIN}${encodeURIComponent(stores.key)}`;
}
