import { sql } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  decisionsOverTime,
  ruleHits,
  topEndpoints,
} from "../../src/server/services/analytics/summary.ts";
import type { ReportContext } from "../../src/server/services/integrations/present.ts";
import { queryRows } from "../../src/server/services/outbox/sql.ts";
import { decisionEvent, ingest, openTestDatabase, orgWithContext, testRuntime } from "./harness.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe("top lists, rule hits and daily charts over the daily rollups", () => {
  let database: Awaited<ReturnType<typeof openTestDatabase>>;
  let ctx: ReportContext;
  // Midnight UTC three days ago; events every 37 minutes for three and a half days after it.
  const midnight = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;
  const stored = Array.from({ length: Math.floor((3.5 * DAY) / (37 * 60_000)) }, (_, k) => {
    const event = decisionEvent(k);
    return {
      ...event,
      time: new Date(midnight + k * 37 * 60_000 + (k % 5)).toISOString(),
      src: { ip: `10.1.0.${k % 7}`, port: 40000 },
      dst: { host: `svc${k % 3}.internal`, port: 443 },
    };
  });

  beforeAll(async () => {
    database = await openTestDatabase(
      process.env.RINGFENCE_TEST_BACKEND === "pg" ? "pg" : "pglite",
    );
    ctx = await orgWithContext(database.database.db, await testRuntime());
    for (let i = 0; i < stored.length; i += 40) {
      await ingest(database.database.db, ctx.organizationId, stored.slice(i, i + 40));
    }
  });
  afterAll(async () => {
    await database?.close();
  });

  /** What the hourly rollup alone answers: the query before the daily rollup existed. */
  async function hourlyOnly(side: "src" | "dst", from: Date, to: Date) {
    const rows = await queryRows<{ value: string; events: string | number }>(
      ctx.db,
      sql`
        SELECT value, sum(events) AS events FROM event_endpoints_hourly
        WHERE organization_id = ${ctx.organizationId} AND side = ${side}
          AND hour >= date_trunc('hour', ${from.toISOString()}::timestamptz, 'UTC')
          AND hour < ${to.toISOString()}::timestamptz
        GROUP BY value ORDER BY sum(events) DESC, value LIMIT 100
      `,
    );
    return rows.map((row) => ({ value: row.value, events: Number(row.events) }));
  }

  /** The events whose hour lies in the window, as the hourly rollups count them. */
  function inWindow(from: Date, to: Date) {
    const lo = Math.floor(from.getTime() / HOUR) * HOUR;
    return stored.filter((event) => {
      const hour = Math.floor(Date.parse(event.time) / HOUR) * HOUR;
      return hour >= lo && hour < to.getTime();
    });
  }

  /** The same counts straight from the events, by the hour each falls in. */
  function fromEvents(side: "src" | "dst", from: Date, to: Date, action?: "deny") {
    const counts = new Map<string, number>();
    for (const event of inWindow(from, to)) {
      if (action && event.action !== action) continue;
      const value = side === "src" ? event.src.ip : `${event.dst.host}:${event.dst.port}`;
      counts.set(value, (counts.get(value) ?? 0) + 1);
    }
    return [...counts]
      .map(([value, events]) => ({ value, events }))
      .sort((a, b) => b.events - a.events || (a.value < b.value ? -1 : 1));
  }

  /** Rule hits straight from the events. */
  function ruleHitsFromEvents(from: Date, to: Date) {
    const rules = new Map<
      string,
      { ruleId: string; hits: number; firstHit: string; lastHit: string }
    >();
    for (const event of inWindow(from, to)) {
      const ruleId = event.reasons.ruleId ?? "";
      const entry = rules.get(ruleId) ?? {
        ruleId,
        hits: 0,
        firstHit: event.time,
        lastHit: event.time,
      };
      entry.hits += 1;
      if (event.time < entry.firstHit) entry.firstHit = event.time;
      if (event.time > entry.lastHit) entry.lastHit = event.time;
      rules.set(ruleId, entry);
    }
    return [...rules.values()].sort((a, b) => b.hits - a.hits || (a.ruleId < b.ruleId ? -1 : 1));
  }

  /** Decisions per UTC day straight from the events. */
  function decisionsByDayFromEvents(from: Date, to: Date) {
    const days = new Map<
      string,
      { bucket: string; allow: number; deny: number; monitor: number }
    >();
    for (const event of inWindow(from, to)) {
      const bucket = new Date(Math.floor(Date.parse(event.time) / DAY) * DAY).toISOString();
      const entry = days.get(bucket) ?? { bucket, allow: 0, deny: 0, monitor: 0 };
      entry[event.action] += 1;
      days.set(bucket, entry);
    }
    return [...days.values()].sort((a, b) => (a.bucket < b.bucket ? -1 : 1));
  }

  const windows: [string, number, number][] = [
    [
      "partial days at both edges",
      midnight + 5.5 * HOUR + 12_345,
      midnight + 2 * DAY + 17.25 * HOUR,
    ],
    ["whole days exactly", midnight, midnight + 3 * DAY],
    ["inside one day", midnight + DAY + 2 * HOUR, midnight + DAY + 9.5 * HOUR],
    ["across one midnight only", midnight + 20 * HOUR, midnight + DAY + 3 * HOUR],
    ["the whole history and beyond", midnight - 2 * DAY, midnight + 5 * DAY],
  ];

  it.each(windows)("sums to the hourly answer over %s", async (_, lo, hi) => {
    const from = new Date(lo);
    const to = new Date(hi);
    for (const side of ["src", "dst"] as const) {
      const input = { from: from.toISOString(), to: to.toISOString(), bucket: "hour" as const };
      const { items } = await topEndpoints({ ctx, input: { ...input, limit: 100, side } });
      expect(items.length).toBeGreaterThan(0);
      expect(items).toEqual(await hourlyOnly(side, from, to));
      expect(items).toEqual(fromEvents(side, from, to));
      const denied = await topEndpoints({
        ctx,
        input: { ...input, limit: 100, side, action: "deny" },
      });
      expect(denied.items.length).toBeGreaterThan(0);
      expect(denied.items).toEqual(fromEvents(side, from, to, "deny"));
    }
  });

  it.each(windows)("counts rule hits and daily decisions exactly over %s", async (_, lo, hi) => {
    const input = { from: new Date(lo).toISOString(), to: new Date(hi).toISOString() };
    const rules = await ruleHits({ ctx, input: { ...input, bucket: "hour", limit: 100 } });
    expect(rules.items).toEqual(ruleHitsFromEvents(new Date(lo), new Date(hi)));
    const daily = await decisionsOverTime({ ctx, input: { ...input, bucket: "day", limit: 10 } });
    expect(daily.items.length).toBeGreaterThan(0);
    expect(daily.items).toEqual(decisionsByDayFromEvents(new Date(lo), new Date(hi)));
  });
});
