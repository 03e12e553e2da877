import { integer, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";

/**
 * The first answer to a creating POST sent with an `Idempotency-Key`, replayed for the same
 * principal, key and body. `status` is null while the first request is still running. The
 * principal (user or API key id) scopes the key, so one caller can never read another's answer.
 */
export const idempotencyRecords = pgTable(
  "idempotency_records",
  {
    id: idColumn(ID_PREFIXES.idempotencyRecord),
    principalId: text("principal_id").notNull(),
    key: text("key").notNull(),
    requestHash: text("request_hash").notNull(),
    status: integer("status"),
    responseBody: jsonb("response_body").$type<unknown>(),
    expiresAt: timestampColumn("expires_at").notNull(),
    ...timestamps(),
  },
  (table) => [uniqueIndex("idempotency_records_principal_key").on(table.principalId, table.key)],
);

export type IdempotencyRecord = typeof idempotencyRecords.$inferSelect;
