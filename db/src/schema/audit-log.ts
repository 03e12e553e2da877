import { index, jsonb, pgTable, text } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";

/**
 * One row per change, written in the same transaction as the change itself, so the log can
 * neither miss a change nor record one that was rolled back. Rows are never updated, which is
 * why this table has `created_at` only.
 */
export const auditLog = pgTable(
  "audit_log",
  {
    id: idColumn(ID_PREFIXES.auditEvent),
    organizationId: organizationIdColumn(),
    /** `user`, `api_key` or `system`. */
    actorType: text("actor_type").notNull(),
    actorId: text("actor_id").notNull(),
    /** `<entity>.<verb>`, for example `member.update`. */
    action: text("action").notNull(),
    targetType: text("target_type").notNull(),
    targetId: text("target_id").notNull(),
    requestId: text("request_id"),
    /** What changed, never secrets. */
    details: jsonb("details").$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestampColumn("created_at").notNull().defaultNow(),
  },
  (table) => [index("audit_log_organization_id_idx").on(table.organizationId, table.id)],
);

export type AuditEvent = typeof auditLog.$inferSelect;
