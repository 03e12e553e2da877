import type { Database } from "@ringfence/db";
import type { Context } from "hono";
import type { AppEnv, RequestContext } from "../../context.ts";
import { enforcementOf } from "../enforcers/http.ts";
import type { Keyring } from "../keys/keyring.ts";

/** What the second-factor verbs need beyond a request context. */
export interface MfaRuntime {
  /** Seals TOTP secrets at rest. */
  keyring: Keyring;
  /** Milliseconds since the epoch; TOTP steps and step-up windows are read from it. */
  now: () => number;
}

/** A context of any kind, plus the MFA runtime. */
export type WithMfa<C extends RequestContext> = C & { mfa: MfaRuntime };

const clocks = new WeakMap<Database, () => number>();

/**
 * Replaces the clock the MFA verbs read for one database, so tests can walk through real TOTP
 * time steps and step-up windows without waiting. Production never calls it.
 */
export function setMfaClock(db: Database, now: () => number): void {
  clocks.set(db, now);
}

/** The clock of the request's database: the injected one, else the system clock. */
export function mfaClock(db: Database): () => number {
  return clocks.get(db) ?? Date.now;
}

/**
 * Adds the runtime to a context. The keyring comes from the enforcement runtime that startup
 * prepares; it is read on first use, so refusals answer before a missing runtime could.
 */
export function withMfa<C extends RequestContext>(c: Context<AppEnv>, ctx: C): WithMfa<C> {
  const mfa: MfaRuntime = {
    get keyring() {
      return enforcementOf(c).keyring;
    },
    now: mfaClock(c.get("db")),
  };
  return { ...ctx, mfa };
}
