import { sql } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { queryRows } from "../outbox/sql.ts";
import { type TopEndpointsInput, type WindowInput, windowOf } from "./window.ts";

/**
 * Analytics read from the hourly rollups that the events trigger maintains, so their cost grows
 * with hours in the window, not with events stored. Windows are aligned to whole hours.
 */

/** Allowed, denied and monitored decisions per bucket, oldest first. */
export async function decisionsOverTime({ ctx, input }: ServiceCall<OrgContext, WindowInput>) {
  const { from, to } = windowOf(input);
  const rows = await queryRows<{ bucket: Date | string; action: string; events: string | number }>(
    ctx.db,
    sql`
      SELECT date_trunc(${input.bucket}, hour, 'UTC') AS bucket, action, sum(events) AS events
      FROM event_counts_hourly
      WHERE organization_id = ${ctx.organizationId}
        AND hour >= date_trunc('hour', ${from.toISOString()}::timestamptz, 'UTC')
        AND hour < ${to.toISOString()}::timestamptz
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

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/**
 * The hours a window covers, as the hourly queries read them (from the hour holding `from` up to
 * the last hour starting before `to`), split into whole UTC days and the hours at either edge.
 */
export function splitWindow(from: Date, to: Date) {
  const firstHour = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  const endHour = Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS;
  const firstDay = Math.ceil(firstHour / DAY_MS) * DAY_MS;
  const endDay = Math.floor(endHour / DAY_MS) * DAY_MS;
  const iso = (ms: number) => new Date(ms).toISOString();
  if (firstDay >= endDay) {
    return { days: null, edges: [[iso(firstHour), iso(endHour)]] as const };
  }
  return {
    days: [iso(firstDay), iso(endDay)] as const,
    edges: [
      [iso(firstHour), iso(firstDay)],
      [iso(endDay), iso(endHour)],
    ] as const,
  };
}

/**
 * The busiest sources or destinations (`host:port`) in the window. Whole UTC days are read from
 * the daily rollup and only the partial days at the edges from the hourly one, so a week costs
 * about seven rows per endpoint instead of one per hour it was seen; the sums are the same.
 */
export async function topEndpoints({
  ctx,
  input,
}: ServiceCall<OrgContext, TopEndpointsInput & { side: "src" | "dst" }>) {
  const { from, to } = windowOf(input);
  const { days, edges } = splitWindow(from, to);
  // Denied decisions have rollups of their own (migration 0015); the names are constants.
  const prefix = input.action === "deny" ? "event_denied_endpoints" : "event_endpoints";
  const hourlyTable = sql.raw(`${prefix}_hourly`);
  const dailyTable = sql.raw(`${prefix}_daily`);
  const hourly = sql.join(
    edges.map(([lo, hi]) => sql`(hour >= ${lo}::timestamptz AND hour < ${hi}::timestamptz)`),
    sql` OR `,
  );
  const daily = days
    ? sql`
      UNION ALL
      SELECT value, events FROM ${dailyTable}
      WHERE organization_id = ${ctx.organizationId} AND side = ${input.side}
        AND day >= ${days[0]}::timestamptz AND day < ${days[1]}::timestamptz`
    : sql``;
  const rows = await queryRows<{ value: string; events: string | number }>(
    ctx.db,
    sql`
      SELECT value, sum(events) AS events FROM (
        SELECT value, events FROM ${hourlyTable}
        WHERE organization_id = ${ctx.organizationId} AND side = ${input.side} AND (${hourly})
        ${daily}
      ) AS counted
      GROUP BY value ORDER BY sum(events) DESC, value LIMIT ${input.limit}
    `,
  );
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
      FROM event_counts_hourly
      WHERE organization_id = ${ctx.organizationId}
        AND hour >= date_trunc('hour', ${from.toISOString()}::timestamptz, 'UTC')
        AND hour < ${to.toISOString()}::timestamptz
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
