import type { Database } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import type { IntegrationRow } from "./tables.ts";

/** How retries space out: exponential from `baseSeconds`, capped, with full jitter. */
export interface BackoffSettings {
  baseSeconds: number;
  capSeconds: number;
}

function idList(ids: readonly number[]) {
  return sql`ARRAY[${sql.join(
    ids.map((id) => sql`${id}`),
    sql`, `,
  )}]::bigint[]`;
}

/** Marks deliveries done. */
export async function markDelivered(db: Database, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(sql`
    UPDATE outbox_deliveries
    SET state = 'delivered', delivered_at = now(), last_error = NULL
    WHERE id = ANY(${idList(ids)}) AND state = 'pending'
  `);
}

/** Dead-letters deliveries that can never succeed (their event is no longer stored). */
export async function markDead(db: Database, ids: readonly number[], error: string) {
  if (ids.length === 0) return;
  await db.execute(sql`
    UPDATE outbox_deliveries SET state = 'dead', last_error = ${error}
    WHERE id = ANY(${idList(ids)}) AND state = 'pending'
  `);
}

/**
 * Schedules the next attempt after a failure: base × 2^(attempts−1) seconds, capped, times a
 * random factor in [0.5, 1) so many failed deliveries do not retry in step. A delivery older
 * than the integration's horizon is dead-lettered instead. Returns how many went dead.
 */
export async function scheduleRetry(
  db: Database,
  integration: IntegrationRow,
  ids: readonly number[],
  error: string,
  backoff: BackoffSettings,
): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = (await db.execute(sql`
    UPDATE outbox_deliveries
    SET last_error = ${error},
        state = CASE
          WHEN created_at < now() - make_interval(secs => ${integration.deadLetterAfterSeconds})
          THEN 'dead'::delivery_state ELSE 'pending'::delivery_state END,
        next_attempt_at = now() + make_interval(secs =>
          least(${backoff.capSeconds}::float8, ${backoff.baseSeconds}::float8 * power(2, attempts - 1))
          * (0.5 + random() / 2))
    WHERE id = ANY(${idList(ids)}) AND state = 'pending'
    RETURNING state
  `)) as unknown as { rows: { state: string }[] };
  return rows.rows.filter((row) => row.state === "dead").length;
}

/** Writes one line of the delivery log. */
export async function logAttempt(
  db: Database,
  integration: IntegrationRow,
  entry: {
    items: number;
    outcome: string;
    statusCode?: number;
    error?: string;
    durationMs: number;
  },
): Promise<void> {
  await db.execute(sql`
    INSERT INTO outbox_attempts
      (organization_id, integration_id, items, outcome, status_code, error, duration_ms)
    VALUES (${integration.organizationId}, ${integration.id}, ${entry.items}, ${entry.outcome},
      ${entry.statusCode ?? null}, ${entry.error ?? null}, ${Math.round(entry.durationMs)})
  `);
}
