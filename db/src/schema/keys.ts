import { sql } from "drizzle-orm";
import { index, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { organizations } from "./organizations.ts";

/**
 * The key hierarchy (docs/identity.md, "Key hierarchy"): a key-encryption key (KEK) from
 * configuration, never stored, wraps one data key per organisation and purpose; the data keys
 * seal the secrets themselves. Rotating the KEK rewraps the few rows of `data_keys`; rotating a
 * data key leaves the old one able to open what it sealed until re-encryption has moved it all.
 */

/** What a data key may seal. `identity` is for sign-in secrets: TOTP seeds, OIDC client secrets. */
export const DATA_KEY_PURPOSES = [
  "cloud-credentials",
  "bundle-signing",
  "ca",
  "integration-secrets",
  "identity",
] as const;
export type DataKeyPurpose = (typeof DATA_KEY_PURPOSES)[number];
export const dataKeyPurposeEnum = pgEnum("data_key_purpose", DATA_KEY_PURPOSES);

/**
 * One row per KEK the database has been bound to: its id (a fingerprint, or a KMS key id) and a
 * key-check value, a fixed text sealed under it. Startup opens the check value of every live row
 * with the configured KEK, so a wrong KEK is refused before anything is served.
 */
export const keyEncryptionKeys = pgTable("key_encryption_keys", {
  kekId: text("kek_id").primaryKey(),
  checkValue: text("check_value").notNull(),
  retiredAt: timestampColumn("retired_at"),
  ...timestamps(),
});

/**
 * Data keys: 32 random bytes wrapped by the KEK named in `kek_id`. At most one per organisation
 * and purpose is live (seals new values); retired ones still open the values they sealed. A null
 * organisation is the instance's own key of that purpose, for secrets of users (a TOTP seed),
 * who belong to no single organisation.
 */
export const dataKeys = pgTable(
  "data_keys",
  {
    id: idColumn(ID_PREFIXES.dataKey),
    organizationId: text("organization_id").references(() => organizations.id, {
      onDelete: "cascade",
    }),
    purpose: dataKeyPurposeEnum("purpose").notNull(),
    kekId: text("kek_id").notNull(),
    wrappedKey: text("wrapped_key").notNull(),
    retiredAt: timestampColumn("retired_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("data_keys_organization_id_purpose_live_key")
      .on(table.organizationId, table.purpose)
      .where(sql`${table.retiredAt} is null and ${table.organizationId} is not null`),
    uniqueIndex("data_keys_instance_purpose_live_key")
      .on(table.purpose)
      .where(sql`${table.retiredAt} is null and ${table.organizationId} is null`),
    index("data_keys_kek_id_idx").on(table.kekId),
  ],
);

export type DataKeyRow = typeof dataKeys.$inferSelect;
export type KeyEncryptionKeyRow = typeof keyEncryptionKeys.$inferSelect;
