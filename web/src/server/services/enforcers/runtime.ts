import type { Database } from "@ringfence/db";
import { z } from "zod";
import { ConfigError, type ServerConfig } from "../../config.ts";
import type { OrgContext, RequestContext } from "../../context.ts";
import { BundleNotifier } from "../bundles/notifier.ts";
import { MAX_OVERLAP_SECONDS } from "../credentials/lifecycle.ts";
import { IngestGate } from "../ingest/gate.ts";
import { loadKeyring } from "../keys/kek.ts";
import type { Keyring } from "../keys/keyring.ts";
import { verifyKeyring } from "../keys/verify.ts";

/** Tunables of enforcer delivery and ingestion, with the defaults docs/contract.md states. */
export interface EnforcementSettings {
  /** How often a parked bundle request re-reads the database (other replicas publish too). */
  recheckMs: number;
  /** How long a registration token lives unless the admin says otherwise. */
  registrationTtlSeconds: number;
  /** Event batches processed at once before new ones get 429. */
  maxInFlightBatches: number;
  /** Events processed at once before new batches get 429. */
  maxInFlightEvents: number;
  /** The Retry-After sent with 429, in seconds. */
  retryAfterSeconds: number;
  /** How long an enforcer credential lives; null for no expiry. */
  credentialTtlSeconds: number | null;
  /** How long the replaced credential keeps working after a rotation. */
  credentialOverlapSeconds: number;
}

/** What the enforcement services share across requests in one control-plane process. */
export interface EnforcementRuntime {
  /** The KEK and the data keys it wraps; seals and opens every secret at rest. */
  keyring: Keyring;
  /** @deprecated The same keyring under its old name; use `keyring`. */
  kek: Keyring;
  notifier: BundleNotifier;
  ingestGate: IngestGate;
  settings: EnforcementSettings;
}

/** A context of any kind, plus the enforcement runtime. */
export type WithEnforcement<C extends RequestContext> = C & { enforcement: EnforcementRuntime };

/** The authenticated enforcer a request comes from. */
export interface EnforcerIdentity {
  id: string;
  organizationId: string;
  name: string;
  kind: "gateway" | "worker";
  /**
   * SHA-256 of the credential the request came with, so a parked request re-checks that it is
   * still live; absent for contexts made without a request.
   */
  credentialHash?: string;
}

/** The context of verbs an enforcer calls with its own credential. */
export interface EnforcerContext extends WithEnforcement<RequestContext> {
  enforcer: EnforcerIdentity;
}

export const DEFAULT_ENFORCEMENT_SETTINGS: EnforcementSettings = {
  recheckMs: 1000,
  registrationTtlSeconds: 3600,
  maxInFlightBatches: 8,
  maxInFlightEvents: 8000,
  retryAfterSeconds: 1,
  credentialTtlSeconds: null,
  credentialOverlapSeconds: 600,
};

const credentialEnv = z.object({
  RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS: z.coerce.number().int().min(1).max(3650).optional(),
  RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(MAX_OVERLAP_SECONDS)
    .optional(),
});

/**
 * Credential lifetimes from `RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS` (unset: no expiry) and
 * `RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS` (default 600); throws ConfigError naming a bad
 * setting.
 */
export function credentialSettingsFromEnv(
  env: Record<string, string | undefined>,
): Partial<EnforcementSettings> {
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ""));
  const parsed = credentialEnv.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join("\n  ")}`);
  }
  const ttlDays = parsed.data.RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS;
  const overlap = parsed.data.RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS;
  return {
    ...(ttlDays === undefined ? {} : { credentialTtlSeconds: ttlDays * 86_400 }),
    ...(overlap === undefined ? {} : { credentialOverlapSeconds: overlap }),
  };
}

/**
 * Builds the runtime at startup: loads the keyring (RINGFENCE_KEK or RINGFENCE_KEK_FILE, and
 * RINGFENCE_KEK_PREVIOUS during a rotation) and proves it opens the keys already stored, so a
 * missing or wrong key stops the process with a clear message instead of failing on the first
 * bundle.
 */
export async function createEnforcementRuntime(options: {
  db: Database;
  env: Record<string, string | undefined>;
  dataDir: string | undefined;
  settings?: Partial<EnforcementSettings>;
}): Promise<EnforcementRuntime> {
  const keyring = await loadKeyring(options.env, options.dataDir, options.db);
  await verifyKeyring(options.db, keyring);
  const settings = {
    ...DEFAULT_ENFORCEMENT_SETTINGS,
    ...credentialSettingsFromEnv(options.env),
    ...options.settings,
  };
  return {
    keyring,
    kek: keyring,
    notifier: new BundleNotifier(),
    ingestGate: new IngestGate(settings.maxInFlightBatches, settings.maxInFlightEvents),
    settings,
  };
}

/**
 * The context of work the control plane does on its own behalf inside one organisation (a
 * scheduled recompile, the demo's enrolment), audited as the system actor `actorId`.
 */
export function systemOrgContext(options: {
  db: Database;
  config: ServerConfig;
  enforcement: EnforcementRuntime;
  organizationId: string;
  actorId: string;
}): WithEnforcement<OrgContext> {
  return {
    db: options.db,
    config: options.config,
    requestId: `${options.actorId}-${options.organizationId}`,
    actor: { type: "system", id: options.actorId },
    organizationId: options.organizationId,
    role: "owner",
    enforcement: options.enforcement,
  };
}
