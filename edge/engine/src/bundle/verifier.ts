import { type VerifierState, verifierStateSchema } from "./schema.ts";
import { type VerifyOptions, type VerifyOutcome, verifyBundle } from "./verify.ts";

/**
 * Holds what one enforcer trusts (its organisation's keys and the newest bundle accepted) and
 * verifies each bundle delivered to it. The state is plain JSON: persist `state` after every
 * accepted bundle and pass it to `BundleVerifier.restore` on the next start.
 */
export class BundleVerifier<P = Record<string, unknown>> {
  #state: VerifierState;
  readonly #options: VerifyOptions<P>;

  private constructor(state: VerifierState, options: VerifyOptions<P>) {
    this.#state = state;
    this.#options = options;
  }

  /** Starts from the keys received at registration, holding no bundle yet. */
  static create<P = Record<string, unknown>>(
    organizationId: string,
    trustedKeys: VerifierState["trustedKeys"],
    options: VerifyOptions<P> = {},
  ): BundleVerifier<P> {
    return BundleVerifier.restore<P>({ organizationId, trustedKeys, current: null }, options);
  }

  /** Restores a persisted state; throws a TypeError naming what is wrong when it is malformed. */
  static restore<P = Record<string, unknown>>(
    state: unknown,
    options: VerifyOptions<P> = {},
  ): BundleVerifier<P> {
    const parsed = verifierStateSchema.safeParse(state);
    if (!parsed.success) {
      throw new TypeError(`the bundle verifier state is malformed: ${parsed.error.message}`);
    }
    return new BundleVerifier(parsed.data, options);
  }

  /** A copy of the current state, safe to serialise with JSON.stringify. */
  get state(): VerifierState {
    return structuredClone(this.#state);
  }

  /** The version and hash of the newest accepted bundle, or null before the first one. */
  get current(): VerifierState["current"] {
    return this.#state.current === null ? null : { ...this.#state.current };
  }

  /** Verifies an envelope and, when it is accepted, adopts the resulting state. */
  async verify(envelope: unknown): Promise<VerifyOutcome<P>> {
    const outcome = await verifyBundle(envelope, this.#state, this.#options);
    if (outcome.ok) {
      this.#state = outcome.state;
    }
    return outcome;
  }

  toJSON(): VerifierState {
    return this.state;
  }
}
