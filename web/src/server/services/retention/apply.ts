import type { Database } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import { z } from "zod";
import { queryRows } from "../outbox/sql.ts";

/** How long events are kept, from `RINGFENCE_EVENT_RETENTION_DAYS` (default 30, 1–3650). */
export function retentionDaysFromEnv(env: Record<string, string | undefined>): number {
  const parsed = z.coerce
    .number()
    .int()
    .min(1)
    .max(3650)
    .default(30)
    .safeParse(env.RINGFENCE_EVENT_RETENTION_DAYS || undefined);
  if (!parsed.success) {
    throw new Error("RINGFENCE_EVENT_RETENTION_DAYS must be a whole number of days from 1 to 3650");
  }
  return parsed.data;
}

/** What one retention pass did. */
export interface RetentionResult {
  partitionsCreated: number;
  partitionsDropped: string[];
  rowsDeleted: number;
}

const DAYS_AHEAD = 8;

/**
 * Keeps the events store within its retention: creates the coming days' partitions (so new
 * events never land in the default partition), drops whole daily partitions older than the
 * cutoff (cheap, no row-by-row delete), deletes older rows left in the default partition, and
 * trims rollups and the delivery log alike. Pending deliveries are kept; they dead-letter on
 * their own when their event is gone.
 */
export async function applyRetention(
  db: Database,
  input: { days: number; now?: Date },
): Promise<RetentionResult> {
  const now = input.now ?? new Date();
  const cutoff = new Date(
    Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() - input.days),
  );
  const today = now.toISOString().slice(0, 10);
  const [created] = await queryRows<{ created: number }>(
    db,
    sql`SELECT ringfence_ensure_event_partitions(${today}::date, ${DAYS_AHEAD}) AS created`,
  );

  const partitions = await queryRows<{ name: string }>(
    db,
    sql`
      SELECT c.relname AS name FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'events' AND c.relname ~ '^events_p[0-9]{8}$'
    `,
  );
  const cutoffName = `events_p${cutoff.toISOString().slice(0, 10).replaceAll("-", "")}`;
  const dropped = partitions.map((p) => p.name).filter((name) => name < cutoffName);
  for (const name of dropped) {
    // The name matched ^events_p[0-9]{8}$ above, so quoting it as an identifier is safe.
    await db.execute(sql.raw(`DROP TABLE "${name}"`));
  }

  const iso = cutoff.toISOString();
  let rowsDeleted = 0;
  for (const statement of [
    sql`DELETE FROM events_default WHERE "time" < ${iso}::timestamptz`,
    sql`DELETE FROM event_counts_hourly WHERE hour < ${iso}::timestamptz`,
    sql`DELETE FROM event_counts_daily WHERE day < ${iso}::timestamptz`,
    sql`DELETE FROM event_endpoints_hourly WHERE hour < ${iso}::timestamptz`,
    sql`DELETE FROM event_endpoints_daily WHERE day < ${iso}::timestamptz`,
    sql`DELETE FROM event_detections_hourly WHERE hour < ${iso}::timestamptz`,
    sql`DELETE FROM outbox_deliveries WHERE state <> 'pending' AND created_at < ${iso}::timestamptz`,
    sql`DELETE FROM outbox_attempts WHERE created_at < ${iso}::timestamptz`,
  ]) {
    const result = (await db.execute(statement)) as unknown as {
      affectedRows?: number;
      rowCount?: number;
    };
    rowsDeleted += result.rowCount ?? result.affectedRows ?? 0;
  }
  return { partitionsCreated: created?.created ?? 0, partitionsDropped: dropped, rowsDeleted };
}
