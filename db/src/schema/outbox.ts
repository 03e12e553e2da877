import { sql } from "drizzle-orm";
import {
  bigint,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uuid,
} from "drizzle-orm/pg-core";
import { timestampColumn } from "./columns.ts";
import { integrations } from "./integrations.ts";
import { organizationIdColumn } from "./organizations.ts";

/**
 * The outbox that carries every accepted event to every matching integration at least once.
 * Inserting into `events` (or `audit_log`) adds a row to `outbox_pending` in the same statement,
 * by a trigger (migration 0005), so nothing the control plane accepted can miss the outbox. A
 * fan-out job turns pending rows into one `outbox_deliveries` row per matching integration; the
 * delivery loop claims those with `FOR UPDATE SKIP LOCKED` and a lease, so a crashed process's
 * claims come back when the lease passes.
 */

export const OUTBOX_SOURCE_VALUES = ["event", "audit"] as const;
export const outboxSourceEnum = pgEnum("outbox_source", OUTBOX_SOURCE_VALUES);
export type OutboxSource = (typeof OUTBOX_SOURCE_VALUES)[number];

export const DELIVERY_STATE_VALUES = ["pending", "delivered", "dead"] as const;
export const deliveryStateEnum = pgEnum("delivery_state", DELIVERY_STATE_VALUES);
export type DeliveryState = (typeof DELIVERY_STATE_VALUES)[number];

/** Accepted events and audit entries not yet fanned out to integrations. */
export const outboxPending = pgTable("outbox_pending", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  organizationId: organizationIdColumn(),
  source: outboxSourceEnum("source").notNull(),
  eventId: uuid("event_id"),
  eventTime: timestampColumn("event_time"),
  auditId: text("audit_id"),
  createdAt: timestampColumn("created_at").notNull().defaultNow(),
});

/** One event or audit entry owed to one integration, until delivered or dead-lettered. */
export const outboxDeliveries = pgTable(
  "outbox_deliveries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: organizationIdColumn(),
    integrationId: text("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    source: outboxSourceEnum("source").notNull(),
    eventId: uuid("event_id"),
    eventTime: timestampColumn("event_time"),
    auditId: text("audit_id"),
    state: deliveryStateEnum("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    /** When the next attempt may start; while claimed, when the claim's lease runs out. */
    nextAttemptAt: timestamp("next_attempt_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow(),
    lastError: text("last_error"),
    createdAt: timestampColumn("created_at").notNull().defaultNow(),
    deliveredAt: timestampColumn("delivered_at"),
  },
  (table) => [
    // Per integration, so finding which integrations have work and claiming one's oldest due
    // rows are index probes whatever the size of the backlog (other integrations' included).
    index("outbox_deliveries_integration_due_idx")
      .on(table.organizationId, table.integrationId, table.nextAttemptAt, table.id)
      .where(sql`${table.state} = 'pending'`),
    index("outbox_deliveries_organization_id_integration_id_idx").on(
      table.organizationId,
      table.integrationId,
      table.id,
    ),
  ],
);

/** The delivery log: one row per attempt to send a batch to an integration. */
export const outboxAttempts = pgTable(
  "outbox_attempts",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: organizationIdColumn(),
    integrationId: text("integration_id")
      .notNull()
      .references(() => integrations.id, { onDelete: "cascade" }),
    items: integer("items").notNull(),
    /** `delivered`, `failed` (retried later), `dead` (gave up) or `blocked` (SSRF guard). */
    outcome: text("outcome").notNull(),
    statusCode: integer("status_code"),
    error: text("error"),
    durationMs: integer("duration_ms").notNull(),
    createdAt: timestampColumn("created_at").notNull().defaultNow(),
  },
  (table) => [
    index("outbox_attempts_organization_id_integration_id_idx").on(
      table.organizationId,
      table.integrationId,
      table.id,
    ),
  ],
);

export type OutboxDeliveryRow = typeof outboxDeliveries.$inferSelect;
export type OutboxAttemptRow = typeof outboxAttempts.$inferSelect;
