import type { Database } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import { queryRows } from "./sql.ts";

/**
 * Turns up to `limit` pending outbox rows into one delivery per enabled integration of their
 * organisation (audit rows only to integrations that include the audit log), in one statement:
 * the pending rows are deleted exactly when their deliveries exist. Rows are claimed with
 * FOR UPDATE SKIP LOCKED so several workers fan out different rows. Class and severity filters
 * are applied at delivery, where the OCSF form of the event is built anyway.
 * Returns how many pending rows were consumed.
 */
export async function fanOut(db: Database, limit: number): Promise<number> {
  const rows = await queryRows<{ consumed: number }>(
    db,
    sql`
      WITH claimed AS (
        DELETE FROM outbox_pending
        WHERE id IN (
          SELECT id FROM outbox_pending ORDER BY id LIMIT ${limit} FOR UPDATE SKIP LOCKED
        )
        RETURNING organization_id, source, event_id, event_time, audit_id
      ), created AS (
        INSERT INTO outbox_deliveries
          (organization_id, integration_id, source, event_id, event_time, audit_id)
        SELECT c.organization_id, g.id, c.source, c.event_id, c.event_time, c.audit_id
        FROM claimed c
        JOIN integrations g
          ON g.organization_id = c.organization_id
         AND g.enabled
         AND (c.source = 'event' OR g.include_audit)
        RETURNING 1
      )
      SELECT (SELECT count(*) FROM claimed)::int AS consumed
    `,
  );
  return rows[0]?.consumed ?? 0;
}
