import { type SQL, sql } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { queryRows } from "../outbox/sql.ts";
import {
  type RollupTerm,
  splitWindow,
  type TopEndpointsInput,
  termsOfPartialDay,
  type WindowInput,
  windowOf,
} from "./window.ts";

/**
 * Analytics read from the hourly and daily rollups that the events trigger maintains, so their
 * cost grows with the days and edge hours in the window, not with events stored. Windows are
 * aligned to whole hours; whole UTC days are read from the daily rollups.
 */

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The rows of the decision counts in a window (columns `cols` and `at`): whole days from the
 * daily rollup, the partial days at the edges from the hourly one. Sums, minima and maxima over
 * them equal those over the hourly rows of the window.
 */
function countsInWindow(ctx: OrgContext, from: Date, to: Date, cols: SQL) {
  const { days, edges } = splitWindow(from, to);
  const hours = edges.map(
    (edge) => sql`(hour >= ${iso(edge.lo)}::timestamptz AND hour < ${iso(edge.hi)}::timestamptz)`,
  );
  const daily = days
    ? sql`
      UNION ALL
      SELECT ${cols}, day AS at FROM event_counts_daily
      WHERE organization_id = ${ctx.organizationId}
        AND day >= ${iso(days[0])}::timestamptz AND day < ${iso(days[1])}::timestamptz`
    : sql``;
  return sql`
    SELECT ${cols}, hour AS at FROM event_counts_hourly
    WHERE organization_id = ${ctx.organizationId} AND (${hours.length > 0 ? sql.join(hours, sql` OR `) : sql`false`})
    ${daily}
  `;
}

/** Allowed, denied and monitored decisions per bucket, oldest first. */
export async function decisionsOverTime({ ctx, input }: ServiceCall<OrgContext, WindowInput>) {
  const { from, to } = windowOf(input);
  // Hourly buckets need the hourly rows; daily ones take whole days from the daily rollup.
  const source =
    input.bucket === "hour"
      ? sql`
        SELECT action, events, hour AS at FROM event_counts_hourly
        WHERE organization_id = ${ctx.organizationId}
          AND hour >= date_trunc('hour', ${from.toISOString()}::timestamptz, 'UTC')
          AND hour < ${to.toISOString()}::timestamptz`
      : countsInWindow(ctx, from, to, sql`action, events`);
  const rows = await queryRows<{ bucket: Date | string; action: string; events: string | number }>(
    ctx.db,
    sql`
      SELECT date_trunc(${input.bucket}, at, 'UTC') AS bucket, action, sum(events) AS events
      FROM (${source}) AS counted
      GROUP BY 1, 2 ORDER BY 1
    `,
  );
  const buckets = new Map<
    string,
    { bucket: string; allow: number; deny: number; monitor: number }
  >();
  for (const row of rows) {
    const bucket = new Date(row.bucket).toISOString();
    const entry = buckets.get(bucket) ?? { bucket, allow: 0, deny: 0, monitor: 0 };
    if (row.action === "allow" || row.action === "deny" || row.action === "monitor") {
      entry[row.action] += Number(row.events);
    }
    buckets.set(bucket, entry);
  }
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    bucket: input.bucket,
    items: [...buckets.values()],
  };
}

/** The first and last hour holding events of each of the given UTC days that has any. */
async function occupiedHours(ctx: OrgContext, days: readonly number[]) {
  const occupied = new Map<number, { first: number; last: number }>();
  if (days.length === 0) return occupied;
  const list = sql.join(
    days.map((day) => sql`${iso(day)}::timestamptz`),
    sql`, `,
  );
  // Each min and max is one probe of the hourly counts' key.
  const inDay = sql`organization_id = ${ctx.organizationId} AND hour >= d.day
    AND hour < d.day + interval '1 day'`;
  const rows = await queryRows<{
    day: Date | string;
    first: Date | string | null;
    last: Date | string | null;
  }>(
    ctx.db,
    sql`
      SELECT d.day,
        (SELECT min(hour) FROM event_counts_hourly WHERE ${inDay}) AS first,
        (SELECT max(hour) FROM event_counts_hourly WHERE ${inDay}) AS last
      FROM unnest(ARRAY[${list}]) AS d(day)
    `,
  );
  for (const row of rows) {
    if (row.first === null || row.last === null) continue;
    const first = new Date(row.first).getTime();
    occupied.set(new Date(row.day).getTime(), { first, last: new Date(row.last).getTime() });
  }
  return occupied;
}

/**
 * The busiest sources or destinations (`host:port`) in the window, of all decisions or only the
 * denied ones. Whole UTC days are read from the daily rollup; a partial day at an edge from the
 * hourly one, or, when that is fewer rows, as its whole day minus the hours it does not cover.
 * A week thus costs about one row per endpoint and day plus a few edge hours, and the sums are
 * those of the hourly rows of the window exactly.
 */
export async function topEndpoints({
  ctx,
  input,
}: ServiceCall<OrgContext, TopEndpointsInput & { side: "src" | "dst" }>) {
  const { from, to } = windowOf(input);
  const { days, edges } = splitWindow(from, to);
  const occupied = await occupiedHours(
    ctx,
    edges.map((edge) => edge.day),
  );
  const terms: RollupTerm[] = [
    ...(days ? [{ grain: "day" as const, lo: days[0], hi: days[1], sign: 1 as const }] : []),
    ...edges.flatMap((edge) => termsOfPartialDay(edge, occupied.get(edge.day))),
  ];

  // Denied decisions are a column of the same rollups (migration 0017).
  const denied = input.action === "deny";
  const count = denied ? sql`denied` : sql`events`;
  const selects = terms.map((term) => {
    const table = sql.raw(
      term.grain === "day" ? "event_endpoints_daily" : "event_endpoints_hourly",
    );
    const at = sql.raw(term.grain);
    return sql`
      SELECT value, ${term.sign === 1 ? count : sql`-${count}`} AS n FROM ${table}
      WHERE organization_id = ${ctx.organizationId} AND side = ${input.side}
        AND ${at} >= ${iso(term.lo)}::timestamptz AND ${at} < ${iso(term.hi)}::timestamptz
        ${denied ? sql`AND denied > 0` : sql``}`;
  });
  const rows = await ctx.db.transaction(async (tx) => {
    // The aggregate holds one entry per endpoint seen (about 10 MB for 50,000 sources); under
    // the default work_mem it spilled to disk in batches.
    await tx.execute(sql`SET LOCAL work_mem = '64MB'`);
    return queryRows<{ value: string; events: string | number }>(
      tx,
      sql`
        SELECT value, sum(n) AS events FROM (${sql.join(selects, sql` UNION ALL `)}) AS counted
        GROUP BY value HAVING sum(n) > 0 ORDER BY sum(n) DESC, value LIMIT ${input.limit}
      `,
    );
  });
  return { items: rows.map((row) => ({ value: row.value, events: Number(row.events) })) };
}

/** Hits per rule with the first and last hit in the window; `rule: null` is the default rule. */
export async function ruleHits({ ctx, input }: ServiceCall<OrgContext, WindowInput>) {
  const { from, to } = windowOf(input);
  const rows = await queryRows<{
    rule_id: string;
    events: string | number;
    first: Date | string;
    last: Date | string;
  }>(
    ctx.db,
    sql`
      SELECT rule_id, sum(events) AS events, min(first_time) AS first, max(last_time) AS last
      FROM (${countsInWindow(ctx, from, to, sql`rule_id, events, first_time, last_time`)}) AS counted
      GROUP BY rule_id ORDER BY sum(events) DESC, rule_id LIMIT ${input.limit}
    `,
  );
  return {
    items: rows.map((row) => ({
      ruleId: row.rule_id === "" ? null : row.rule_id,
      hits: Number(row.events),
      firstHit: new Date(row.first).toISOString(),
      lastHit: new Date(row.last).toISOString(),
    })),
  };
}

/** Detections per category and severity in the window. */
export async function detectionsByCategory({ ctx, input }: ServiceCall<OrgContext, WindowInput>) {
  const { from, to } = windowOf(input);
  const rows = await queryRows<{ category: string; severity: string; events: string | number }>(
    ctx.db,
    sql`
      SELECT category, severity, sum(events) AS events FROM event_detections_hourly
      WHERE organization_id = ${ctx.organizationId}
        AND hour >= date_trunc('hour', ${from.toISOString()}::timestamptz, 'UTC')
        AND hour < ${to.toISOString()}::timestamptz
      GROUP BY 1, 2 ORDER BY sum(events) DESC, 1, 2
    `,
  );
  return {
    items: rows.map((row) => ({
      category: row.category,
      severity: row.severity,
      events: Number(row.events),
    })),
  };
}
