import { caCertificates, type Database, signingKeys } from "@ringfence/db";
import type { ServerConfig } from "../../config.ts";
import type { OrgContext, RequestContext } from "../../context.ts";
import { BundleNotifier } from "../bundles/notifier.ts";
import { IngestGate } from "../ingest/gate.ts";
import { KekError, type KeyEncryptionKey, loadKeyEncryptionKey } from "../keys/kek.ts";
import { sealedFingerprint } from "../keys/seal.ts";

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
}

/** What the enforcement services share across requests in one control-plane process. */
export interface EnforcementRuntime {
  kek: KeyEncryptionKey;
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
};

/**
 * Builds the runtime at startup: loads the key-encryption key (RINGFENCE_KEK or
 * RINGFENCE_KEK_FILE) and proves it opens the keys already stored, so a missing or wrong key
 * stops the process with a clear message instead of failing on the first bundle.
 */
export async function createEnforcementRuntime(options: {
  db: Database;
  env: Record<string, string | undefined>;
  dataDir: string | undefined;
  settings?: Partial<EnforcementSettings>;
}): Promise<EnforcementRuntime> {
  const kek = await loadKeyEncryptionKey(options.env, options.dataDir);
  await assertKekOpensStoredKeys(options.db, kek);
  const settings = { ...DEFAULT_ENFORCEMENT_SETTINGS, ...options.settings };
  return {
    kek,
    notifier: new BundleNotifier(),
    ingestGate: new IngestGate(settings.maxInFlightBatches, settings.maxInFlightEvents),
    settings,
  };
}

async function assertKekOpensStoredKeys(db: Database, kek: KeyEncryptionKey): Promise<void> {
  const sealed = [
    ...(await db.select({ value: signingKeys.sealedPrivateKey }).from(signingKeys)),
    ...(await db.select({ value: caCertificates.sealedPrivateKey }).from(caCertificates)),
  ];
  const foreign = sealed
    .map((row) => sealedFingerprint(row.value))
    .find((fp) => fp !== kek.fingerprint);
  if (foreign !== undefined) {
    throw new KekError(
      `the configured key-encryption key (fingerprint ${kek.fingerprint}) is not the one that ` +
        `sealed the stored keys (fingerprint ${foreign}); start with the original RINGFENCE_KEK`,
    );
  }
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
