/**
 * Holds the verified bundle of one isolate. Sources, cheapest first: isolate memory, the Cache
 * API (shared by the isolates of one data centre), the optional KV namespace the control plane
 * writes on publish, and the control plane itself. Every copy is verified against the trusted
 * keys before use, wherever it came from. Freshness is bounded: past half the allowed staleness
 * a refresh runs in the background; past the full staleness a request waits (briefly) for it.
 * With nothing ever verified, `get` returns undefined and the caller fails closed.
 */

/** What the control plane answered to a bundle poll. */
export type FetchOutcome =
  | { status: "modified"; envelope: unknown }
  | { status: "not-modified" }
  | { status: "error"; detail: string };

/** Polls the control plane; `etag` is the hash of the bundle held, if any. Must not throw. */
export type BundleFetcher = (etag: string | undefined) => Promise<FetchOutcome>;

/** The verdict of the engine's signature and version check on one envelope. */
export type Verified<T> =
  | { ok: true; version: number; hash: string; value: T }
  | { ok: false; code: string; message: string };

/** Verifies (and compiles) an envelope; it keeps the verifier state between calls itself. */
export type BundleVerifier<T> = (envelope: unknown) => Promise<Verified<T>>;

export interface BundleStoreOptions<T> {
  fetch: BundleFetcher;
  verify: BundleVerifier<T>;
  maxStalenessMs: number;
  /** The Cache API store (`caches.default`), absent where there is none. */
  cache?: Cache;
  /** The KV namespace the control plane writes each published envelope into, if bound. */
  kv?: KVNamespace;
  /** Key of the envelope in KV, as the control plane writes it: `bundle/<organisation>`. */
  kvKey: string;
  /** Key of this worker's copy in the Cache API. */
  cacheKey: string;
  /** How long a request waits for an overdue refresh before enforcing what it holds. */
  refreshTimeoutMs?: number;
  now?: () => number;
}

/** The bundle being enforced. `confirmedAt` is when a source last said it is current. */
export interface ActiveBundle<T> {
  version: number;
  hash: string;
  value: T;
  confirmedAt: number;
  source: "cache" | "kv" | "control-plane";
}

/** Status counters for `/__ringfence/status`. */
export interface BundleStats {
  version: number | null;
  hash: string | null;
  source: string | null;
  ageSeconds: number | null;
  stale: boolean;
  refreshes: number;
  refusals: number;
  lastError?: string;
}

const CACHE_ORIGIN = "https://ringfence-bundle.internal/";

export class BundleStore<T> {
  #active: ActiveBundle<T> | undefined;
  #refreshing: Promise<void> | undefined;
  #coldStart: Promise<void> | undefined;
  #refreshes = 0;
  #refusals = 0;
  #lastError: string | undefined;

  constructor(private readonly options: BundleStoreOptions<T>) {}

  /**
   * The bundle to enforce now, or undefined when none was ever verified. `waitUntil` keeps a
   * background refresh alive after the response is sent.
   */
  async get(waitUntil: (promise: Promise<unknown>) => void): Promise<ActiveBundle<T> | undefined> {
    if (this.#active === undefined) {
      this.#coldStart ??= this.#loadCold().finally(() => {
        this.#coldStart = undefined;
      });
      await this.#coldStart;
      return this.#active;
    }

    const age = this.#now() - this.#active.confirmedAt;
    if (age >= this.options.maxStalenessMs) {
      await this.#withTimeout(this.refresh());
    } else if (age >= this.options.maxStalenessMs / 2) {
      waitUntil(this.refresh());
    }
    return this.#active;
  }

  /** Polls the control plane once (single flight per isolate). */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#pollControlPlane().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  stats(): BundleStats {
    const active = this.#active;
    const age = active === undefined ? null : this.#now() - active.confirmedAt;
    return {
      version: active?.version ?? null,
      hash: active?.hash ?? null,
      source: active?.source ?? null,
      ageSeconds: age === null ? null : Math.floor(age / 1000),
      stale: age === null || age >= this.options.maxStalenessMs,
      refreshes: this.#refreshes,
      refusals: this.#refusals,
      ...(this.#lastError === undefined ? {} : { lastError: this.#lastError }),
    };
  }

  async #loadCold(): Promise<void> {
    const cached = await this.#readCache();
    if (cached !== undefined) await this.#accept(cached.envelope, "cache", cached.confirmedAt);
    if (this.#active !== undefined) await this.#readConfirmation(this.#active);
    if (this.#active === undefined && this.options.kv !== undefined) {
      await this.#accept(await this.#readKv(), "kv", 0);
    }
    const age = this.#active === undefined ? Infinity : this.#now() - this.#active.confirmedAt;
    if (age >= this.options.maxStalenessMs / 2) await this.#withTimeout(this.refresh());
  }

  async #pollControlPlane(): Promise<void> {
    this.#refreshes += 1;
    const outcome = await this.options.fetch(this.#active?.hash);
    if (outcome.status === "not-modified" && this.#active !== undefined) {
      this.#active.confirmedAt = this.#now();
      await this.#writeConfirmation(this.#active);
      return;
    }
    if (outcome.status === "modified") {
      const accepted = await this.#accept(outcome.envelope, "control-plane", this.#now());
      if (accepted) await this.#writeCache(outcome.envelope);
      return;
    }
    this.#lastError = outcome.status === "error" ? outcome.detail : "304 without a bundle held";
    if (this.options.kv !== undefined) await this.#accept(await this.#readKv(), "kv", 0);
  }

  async #accept(envelope: unknown, source: ActiveBundle<T>["source"], confirmedAt: number) {
    if (envelope === undefined) return false;
    const verified = await this.options.verify(envelope);
    if (!verified.ok) {
      this.#refusals += 1;
      this.#lastError = `${source}: ${verified.code}: ${verified.message}`;
      console.error(JSON.stringify({ msg: "bundle refused", source, code: verified.code }));
      return false;
    }
    if (this.#active !== undefined && verified.version < this.#active.version) return false;
    const { version, hash, value } = verified;
    this.#active = { version, hash, value, confirmedAt, source };
    return true;
  }

  async #readCache(): Promise<{ envelope: unknown; confirmedAt: number } | undefined> {
    const response = await this.options.cache?.match(this.#cacheUrl());
    if (response === undefined) return undefined;
    const confirmedAt = Number(response.headers.get("ringfence-confirmed-at") ?? 0);
    return { envelope: await response.json().catch(() => undefined), confirmedAt };
  }

  /** Stores a newly accepted envelope for the other isolates of the data centre. */
  async #writeCache(envelope: unknown): Promise<void> {
    if (this.#active === undefined) return;
    const headers = {
      "content-type": "application/json",
      "cache-control": "max-age=86400",
      "ringfence-confirmed-at": String(this.#active.confirmedAt),
    };
    await this.#put(this.#cacheUrl(), new Response(JSON.stringify(envelope), { headers }));
  }

  /**
   * Records that the control plane confirmed the held bundle, in a small entry of its own: a
   * poll answered 304 costs a few bytes of cache, not a rewrite of the whole envelope.
   */
  async #writeConfirmation(active: ActiveBundle<T>): Promise<void> {
    const body = JSON.stringify({ hash: active.hash, confirmedAt: active.confirmedAt });
    const headers = { "content-type": "application/json", "cache-control": "max-age=86400" };
    await this.#put(`${this.#cacheUrl()}/confirmed`, new Response(body, { headers }));
  }

  /** Takes a newer confirmation of the bundle just loaded from the cache, if there is one. */
  async #readConfirmation(active: ActiveBundle<T>): Promise<void> {
    const response = await this.options.cache?.match(`${this.#cacheUrl()}/confirmed`);
    const saved = (await response?.json().catch(() => undefined)) as
      | { hash?: unknown; confirmedAt?: unknown }
      | undefined;
    if (saved?.hash !== active.hash || typeof saved.confirmedAt !== "number") return;
    active.confirmedAt = Math.max(active.confirmedAt, saved.confirmedAt);
  }

  async #put(url: string, response: Response): Promise<void> {
    await this.options.cache?.put(url, response).catch((error) => {
      this.#lastError = `cache write failed: ${String(error)}`;
    });
  }

  async #readKv(): Promise<unknown> {
    try {
      return (await this.options.kv?.get(this.options.kvKey, "json")) ?? undefined;
    } catch (error) {
      this.#lastError = `kv read failed: ${String(error)}`;
      return undefined;
    }
  }

  #cacheUrl(): string {
    return `${CACHE_ORIGIN}${encodeURIComponent(this.options.cacheKey)}`;
  }

  #withTimeout(promise: Promise<void>): Promise<void> {
    const ms = this.options.refreshTimeoutMs ?? 3000;
    return Promise.race([promise, new Promise<void>((resolve) => setTimeout(resolve, ms))]);
  }

  #now(): number {
    return (this.options.now ?? Date.now)();
  }
}
