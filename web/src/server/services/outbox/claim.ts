import type { Database } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import { queryRows } from "./sql.ts";
import type { IntegrationRow, OutboxSource } from "./tables.ts";

/** A delivery claimed for one attempt. */
export interface ClaimedDelivery {
  id: number;
  organizationId: string;
  source: OutboxSource;
  eventId: string | null;
  eventTime: Date | null;
  auditId: string | null;
  attempts: number;
}

/**
 * The integrations with deliveries due now, oldest due first, at most `limit` of them. Each
 * enabled integration probes the per-integration due index for its oldest due row, so the cost
 * follows the number of integrations, not the backlog (grouping every due row took longer with
 * every queued delivery).
 */
export async function dueIntegrations(db: Database, limit: number): Promise<string[]> {
  const rows = await queryRows<{ integration_id: string }>(
    db,
    sql`
      SELECT g.id AS integration_id
      FROM integrations g
      CROSS JOIN LATERAL (
        SELECT d.next_attempt_at FROM outbox_deliveries d
        WHERE d.organization_id = g.organization_id AND d.integration_id = g.id
          AND d.state = 'pending' AND d.next_attempt_at <= now()
        ORDER BY d.next_attempt_at LIMIT 1
      ) AS oldest
      WHERE g.enabled
      ORDER BY oldest.next_attempt_at
      LIMIT ${limit}
    `,
  );
  return rows.map((row) => row.integration_id);
}

/**
 * Claims up to `limit` due deliveries of one integration: FOR UPDATE SKIP LOCKED picks rows no
 * other worker is claiming, and moving `next_attempt_at` forward by the lease hides them from
 * every worker until the lease passes. A worker that dies mid-send leaves them to be claimed again
 * when it does, which is what makes delivery at-least-once across crashes.
 */
export async function claimDeliveries(
  db: Database,
  integration: IntegrationRow,
  limit: number,
  leaseSeconds: number,
): Promise<ClaimedDelivery[]> {
  const rows = await queryRows<{
    id: string | number;
    organization_id: string;
    source: OutboxSource;
    event_id: string | null;
    event_time: string | Date | null;
    audit_id: string | null;
    attempts: number;
  }>(
    db,
    sql`
      UPDATE outbox_deliveries
      SET next_attempt_at = now() + make_interval(secs => ${leaseSeconds}),
          attempts = attempts + 1
      WHERE id IN (
        SELECT id FROM outbox_deliveries
        WHERE state = 'pending' AND next_attempt_at <= now()
          AND integration_id = ${integration.id} AND organization_id = ${integration.organizationId}
        -- The order of the per-integration due index, so the scan stops after the rows it
        -- claims instead of reading and sorting the backlog (or other integrations' rows).
        ORDER BY next_attempt_at, id LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING id, organization_id, source, event_id, event_time, audit_id, attempts
    `,
  );
  return rows
    .map((row) => ({
      id: Number(row.id),
      organizationId: row.organization_id,
      source: row.source,
      eventId: row.event_id,
      eventTime: row.event_time === null ? null : new Date(row.event_time),
      auditId: row.audit_id,
      attempts: row.attempts,
    }))
    .sort((a, b) => a.id - b.id);
}
