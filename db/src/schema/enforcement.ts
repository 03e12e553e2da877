import { sql } from "drizzle-orm";
import {
  boolean,
  index,
  inet,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";
import { users } from "./users.ts";

/**
 * What the control plane keeps to drive enforcers: each organisation's signing key and
 * proxy-mode CA, the signed bundles it published, registration tokens, the enforcers themselves
 * and the decision events they report. Private keys are stored sealed (AES-256-GCM under the
 * key-encryption key from configuration); tokens and credentials as SHA-256 only.
 */

export const ENFORCER_KIND_VALUES = ["gateway", "worker"] as const;
export const enforcerKindEnum = pgEnum("enforcer_kind", ENFORCER_KIND_VALUES);

/**
 * Ed25519 bundle-signing keys. At most one key per organisation is live (not retired); a
 * rotation retires it and adds the next in one transaction, which the partial unique index
 * turns into a guarantee even under concurrent first use.
 */
export const signingKeys = pgTable(
  "signing_keys",
  {
    id: idColumn(ID_PREFIXES.signingKey),
    organizationId: organizationIdColumn(),
    /** The id carried in envelopes (`ed25519-…`, derived from the public key). */
    keyId: text("key_id").notNull(),
    /** Raw 32-byte public key, base64. */
    publicKey: text("public_key").notNull(),
    /** PKCS#8 private key sealed with the key-encryption key; see services/keys/seal.ts. */
    sealedPrivateKey: text("sealed_private_key").notNull(),
    retiredAt: timestampColumn("retired_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("signing_keys_organization_id_key_id_key").on(table.organizationId, table.keyId),
    uniqueIndex("signing_keys_organization_id_live_key")
      .on(table.organizationId)
      .where(sql`${table.retiredAt} is null`),
  ],
);

/** Each organisation's ECDSA P-256 CA for proxy mode, generated on first use like the key. */
export const caCertificates = pgTable(
  "ca_certificates",
  {
    id: idColumn(ID_PREFIXES.caCertificate),
    organizationId: organizationIdColumn(),
    certificatePem: text("certificate_pem").notNull(),
    sealedPrivateKey: text("sealed_private_key").notNull(),
    notAfter: timestampColumn("not_after").notNull(),
    retiredAt: timestampColumn("retired_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("ca_certificates_organization_id_live_key")
      .on(table.organizationId)
      .where(sql`${table.retiredAt} is null`),
  ],
);

/**
 * Every signed bundle ever published, immutable. `handover` marks a bundle signed by a retiring
 * key to announce its successor: enforcers behind it are served that bundle first.
 */
export const bundles = pgTable(
  "bundles",
  {
    id: idColumn(ID_PREFIXES.bundle),
    organizationId: organizationIdColumn(),
    version: integer("version").notNull(),
    /** SHA-256 of the payload bytes, lowercase hex; the ETag of the delivery endpoint. */
    hash: text("hash").notNull(),
    /** `{ payload, signature, keyId }` exactly as delivered. */
    envelope: jsonb("envelope")
      .$type<{ payload: string; signature: string; keyId: string }>()
      .notNull(),
    signingKeyId: text("signing_key_id").notNull(),
    handover: boolean("handover").notNull().default(false),
    /** For a rollback, the version whose content this bundle republishes. */
    rollbackOf: integer("rollback_of"),
    createdBy: text("created_by"),
    createdAt: timestampColumn("created_at").notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex("bundles_organization_id_version_key").on(table.organizationId, table.version),
    index("bundles_organization_id_hash_idx").on(table.organizationId, table.hash),
  ],
);

/** One-time registration tokens (`rfr_…`), scoped to an organisation and an enforcer name. */
export const enforcerRegistrations = pgTable(
  "enforcer_registrations",
  {
    id: idColumn(ID_PREFIXES.enforcerRegistration),
    organizationId: organizationIdColumn(),
    name: text("name").notNull(),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampColumn("expires_at").notNull(),
    usedAt: timestampColumn("used_at"),
    enforcerId: text("enforcer_id"),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("enforcer_registrations_token_hash_key").on(table.tokenHash),
    index("enforcer_registrations_organization_id_idx").on(table.organizationId, table.id),
  ],
);

/** A registered gateway or worker, authenticated by its own credential (`rfe_…`). */
export const enforcers = pgTable(
  "enforcers",
  {
    id: idColumn(ID_PREFIXES.enforcer),
    organizationId: organizationIdColumn(),
    name: text("name").notNull(),
    kind: enforcerKindEnum("kind").notNull(),
    credentialHash: text("credential_hash").notNull(),
    credentialStart: text("credential_start").notNull(),
    /** When the current credential stops working; null when credentials do not expire. */
    credentialExpiresAt: timestampColumn("credential_expires_at"),
    /** The credential the last rotation replaced, valid until `previous_credential_expires_at`. */
    previousCredentialHash: text("previous_credential_hash"),
    previousCredentialExpiresAt: timestampColumn("previous_credential_expires_at"),
    credentialRotatedAt: timestampColumn("credential_rotated_at"),
    /** The latest authenticated request and its client address (any endpoint). */
    lastUsedAt: timestampColumn("last_used_at"),
    lastUsedFrom: text("last_used_from"),
    softwareVersion: text("software_version"),
    /** The newest bundle version when it registered; what it holds until it says otherwise. */
    baselineVersion: integer("baseline_version").notNull().default(0),
    /** The bundle version and hash it last reported enforcing. */
    bundleVersion: integer("bundle_version"),
    bundleHash: text("bundle_hash"),
    statusMessage: text("status_message"),
    lastSeenAt: timestampColumn("last_seen_at"),
    revokedAt: timestampColumn("revoked_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("enforcers_credential_hash_key").on(table.credentialHash),
    uniqueIndex("enforcers_previous_credential_hash_key").on(table.previousCredentialHash),
    index("enforcers_organization_id_idx").on(table.organizationId, table.id),
  ],
);

/**
 * Decision events reported by enforcers. The key starts with the organisation and the event
 * time so the table can later be partitioned by day on PostgreSQL (a partition key must be part
 * of every unique constraint); the event id makes redelivery idempotent.
 */
export const events = pgTable(
  "events",
  {
    organizationId: organizationIdColumn(),
    id: uuid("id").notNull(),
    time: timestampColumn("time").notNull(),
    enforcerId: text("enforcer_id").notNull(),
    kind: text("kind").notNull(),
    action: text("action").notNull(),
    srcIp: inet("src_ip").notNull(),
    dstHost: text("dst_host"),
    dstPort: integer("dst_port").notNull(),
    ruleId: text("rule_id"),
    payload: jsonb("payload").$type<Record<string, unknown>>().notNull(),
    receivedAt: timestampColumn("received_at").notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.organizationId, table.time, table.id] })],
);

export type SigningKeyRow = typeof signingKeys.$inferSelect;
export type CaCertificateRow = typeof caCertificates.$inferSelect;
export type BundleRow = typeof bundles.$inferSelect;
export type EnforcerRow = typeof enforcers.$inferSelect;
export type EnforcerRegistrationRow = typeof enforcerRegistrations.$inferSelect;
export type EventRow = typeof events.$inferSelect;
