import { index, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";
import { users } from "./users.ts";

export const API_KEY_SCOPES = ["read", "write"] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];

export const apiKeyScopeEnum = pgEnum("api_key_scope", API_KEY_SCOPES);

/**
 * A bearer credential bound to one organisation. The secret (`rfk_…`) is shown once; only its
 * SHA-256 is kept, which is enough because the secret carries 256 random bits. `start` keeps the
 * first characters so people can tell their keys apart.
 */
export const apiKeys = pgTable(
  "api_keys",
  {
    id: idColumn(ID_PREFIXES.apiKey),
    organizationId: organizationIdColumn(),
    name: text("name").notNull(),
    start: text("start").notNull(),
    keyHash: text("key_hash").notNull(),
    scope: apiKeyScopeEnum("scope").notNull(),
    createdBy: text("created_by").references(() => users.id, { onDelete: "set null" }),
    /** When the key stops authenticating; null for a key without expiry. */
    expiresAt: timestampColumn("expires_at"),
    /** The secret a rotation replaced, valid until `previous_expires_at` (the overlap window). */
    previousKeyHash: text("previous_key_hash"),
    previousExpiresAt: timestampColumn("previous_expires_at"),
    rotatedAt: timestampColumn("rotated_at"),
    lastUsedAt: timestampColumn("last_used_at"),
    /** The client address of the latest use. */
    lastUsedFrom: text("last_used_from"),
    revokedAt: timestampColumn("revoked_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("api_keys_key_hash_key").on(table.keyHash),
    uniqueIndex("api_keys_previous_key_hash_key").on(table.previousKeyHash),
    index("api_keys_organization_idx").on(table.organizationId),
  ],
);

export type ApiKey = typeof apiKeys.$inferSelect;
