import {
  type BundleEnvelope,
  type BundlePayload,
  BundleVerifier,
  bundleEnvelopeSchema,
} from "@ringfence/engine/bundle";
import type { EnforcerClient } from "@ringfence/engine/control";
import type { PolicyHandle, PolicyHolder } from "../engine/policy.ts";
import type { StateStore } from "./store.ts";

const VERIFIER_FILE = "verifier.json";
const BUNDLE_FILE = "bundle.json";

/** Turns a verified bundle payload into an enforceable policy; throws when it cannot. */
export type CompileBundle = (payload: BundlePayload) => PolicyHandle;

export type BundleSyncOptions = {
  client: EnforcerClient;
  verifier: BundleVerifier;
  store: StateStore;
  policy: PolicyHolder;
  compile: CompileBundle;
  /** Called after each swap, for example to hand the payload to cluster workers. */
  onSwap?: (payload: BundlePayload, handle: PolicyHandle) => void;
  /** Long-poll park time in seconds. */
  waitSeconds?: number;
  /** Delay after a failure, doubled up to 16 times this value. */
  backoffMs?: number;
  log?: (message: string, fields: Record<string, unknown>) => void;
};

/**
 * Keeps the enforced policy in step with the control plane: restores the last good bundle from
 * disk at start, long-polls for newer ones, verifies each, swaps the compiled index atomically
 * (open connections keep working) and persists the bundle with the verifier state.
 */
export class BundleSync {
  private running = false;
  private readonly abort = new AbortController();
  private lastError: string | undefined;

  constructor(private readonly options: BundleSyncOptions) {}

  /** Restores the persisted bundle, if any. Returns the version now enforced (0 for none). */
  async restore(): Promise<number> {
    const stored = bundleEnvelopeSchema.safeParse(await this.options.store.read(BUNDLE_FILE));
    if (!stored.success) return 0;
    const outcome = await this.options.verifier.verify(stored.data);
    if (!outcome.ok) {
      this.options.log?.("persisted bundle refused", { code: outcome.code });
      return 0;
    }
    return this.adopt(outcome.payload) ? outcome.payload.version : 0;
  }

  /** Runs the poll loop until `stop` is called. */
  async run(): Promise<void> {
    this.running = true;
    let failures = 0;
    while (this.running) {
      try {
        await this.step();
        failures = 0;
      } catch (error) {
        if (!this.running) return;
        failures += 1;
        this.lastError = error instanceof Error ? error.message : "sync failed";
        this.options.log?.("bundle sync failed", { error: this.lastError, failures });
        await this.pause(failures);
      }
    }
  }

  /** One poll: verify and adopt whatever arrives. */
  async step(): Promise<void> {
    const { client, verifier } = this.options;
    const poll = await client.pollBundle({
      etag: verifier.current?.hash,
      wait: this.options.waitSeconds ?? 30,
      signal: this.abort.signal,
    });
    if (poll.status === "not-modified") return;
    const outcome = await verifier.verify(poll.envelope);
    if (!outcome.ok) {
      this.lastError = `${outcome.code}: ${outcome.message}`;
      await this.report();
      throw new Error(`bundle refused: ${outcome.code}`);
    }
    if (outcome.status !== "accepted") return;
    if (this.adopt(outcome.payload)) {
      await this.persist(poll.envelope);
      this.lastError = undefined;
    }
    await this.report();
  }

  stop(): void {
    this.running = false;
    this.abort.abort();
  }

  private adopt(payload: BundlePayload): boolean {
    try {
      const handle = this.options.compile(payload);
      this.options.policy.swap(handle);
      this.options.onSwap?.(payload, handle);
      return true;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : "bundle did not compile";
      this.options.log?.("bundle did not compile", {
        version: payload.version,
        error: this.lastError,
      });
      return false;
    }
  }

  private async persist(envelope: BundleEnvelope): Promise<void> {
    await this.options.store.write(BUNDLE_FILE, envelope);
    await this.options.store.write(VERIFIER_FILE, this.options.verifier.state);
  }

  private async report(): Promise<void> {
    const current = this.options.verifier.current;
    await this.options.client
      .reportStatus({
        version: current?.version ?? null,
        hash: current?.hash,
        message: this.lastError?.slice(0, 500),
      })
      .catch(() => undefined);
  }

  private pause(failures: number): Promise<void> {
    const base = this.options.backoffMs ?? 1_000;
    const delay = base * 2 ** Math.min(failures - 1, 4) * (0.5 + Math.random() / 2);
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, delay);
      this.abort.signal.addEventListener("abort", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

/** Restores a persisted verifier, or starts one from the keys received at registration. */
export async function loadVerifier(
  store: StateStore,
  fresh: () => BundleVerifier,
): Promise<BundleVerifier> {
  const state = await store.read(VERIFIER_FILE);
  return state === undefined ? fresh() : BundleVerifier.restore(state);
}
