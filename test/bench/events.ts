import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { type Database, events } from "@ringfence/db";
import { eq, sql } from "@ringfence/db/orm";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { DEFAULT_OUTBOX_SETTINGS, runOutboxRound } from "../../web/src/server/jobs/outbox.ts";
import {
  decisionsOverTime,
  detectionsByCategory,
  ruleHits,
  topEndpoints,
} from "../../web/src/server/services/analytics/summary.ts";
import { getEvent } from "../../web/src/server/services/events/get.ts";
import { listEvents } from "../../web/src/server/services/events/list.ts";
import { createIntegration } from "../../web/src/server/services/integrations/create.ts";
import type { ReportContext } from "../../web/src/server/services/integrations/present.ts";
import { prepareReport } from "../../web/src/server/services/integrations/runtime.ts";
import { newWebhookSecret } from "../../web/src/server/services/integrations/secret.ts";
import { queryRows } from "../../web/src/server/services/outbox/sql.ts";
import { registerEnforcer, startControlPlane } from "../../web/test/enforcers/harness.ts";
import {
  decisionEvent,
  ingest,
  orgWithContext,
  testRuntime,
} from "../../web/test/report/harness.ts";
import { startWebhookReceiver } from "../receivers/index.ts";

/**
 * `pnpm bench:events` (PostgreSQL: RINGFENCE_TEST_PG_URL; the run makes its own database and
 * drops it). Three parts:
 *
 * 1. Ingestion through the real path: a control plane served over HTTP on 127.0.0.1 and
 *    BENCH_ENFORCERS registered enforcers posting BENCH_LIVE_EVENTS with the real client, in
 *    batches of 500, all at once (trigger-fed rollups and outbox included). References in the
 *    same run, with the same batches and concurrency: the previous path (one INSERT … VALUES
 *    transaction per batch into the same table) and a plain INSERT into an unpartitioned copy
 *    without trigger.
 * 2. Delivery of those events to a Standard Webhooks receiver on 127.0.0.1 through the outbox.
 * 3. BENCH_EVENTS history rows (default 10 million) over ten days, loaded with generate_series
 *    and the rollups rebuilt set-based, then the console's queries timed through the very
 *    service functions the routes call.
 */
const BASE = process.env.RINGFENCE_TEST_PG_URL;
const STORED = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const LIVE = Number(process.env.BENCH_LIVE_EVENTS ?? 100_000);
const ENFORCERS = Number(process.env.BENCH_ENFORCERS ?? 8);
const BATCH = 500;
const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;
const perSecond = (count: number, millis: number) => Math.round(count / (millis / 1000));

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: ms(start), result };
}

/** Splits `count` events into `lanes` lists of batches, one list per concurrent sender. */
function lanesOf(count: number, lanes: number, enforcerIds: string[]): DecisionEvent[][][] {
  return Array.from({ length: lanes }, (_, lane) => {
    const batches: DecisionEvent[][] = [];
    for (let start = lane * BATCH; start < count; start += lanes * BATCH) {
      const size = Math.min(BATCH, count - start);
      const enforcer = enforcerIds[lane] ?? "enf_bench";
      batches.push(Array.from({ length: size }, (_, i) => decisionEvent(start + i, enforcer)));
    }
    return batches;
  });
}

/** Runs every lane's batches one after another, all lanes at once. */
async function runLanes(
  lanes: DecisionEvent[][][],
  send: (batch: DecisionEvent[], lane: number) => Promise<unknown>,
) {
  await Promise.all(
    lanes.map(async (batches, lane) => {
      for (const batch of batches) await send(batch, lane);
    }),
  );
}

/** One INSERT … VALUES per batch, as ingestion stored events before group commit. */
async function insertValues(
  db: Database,
  table: "events" | "bench_plain",
  organizationId: string,
  batch: DecisionEvent[],
) {
  const values = sql.join(
    batch.map(
      (e) =>
        sql`(${organizationId}, ${e.id}::uuid, ${e.time}::timestamptz, ${e.enforcer.id}, ${e.kind}, ${e.action}, ${e.src.ip}::inet, ${e.dst.host ?? null}, ${e.dst.port}, ${e.reasons.ruleId ?? null}, ${JSON.stringify(e)}::jsonb)`,
    ),
    sql`, `,
  );
  await db.execute(
    sql`INSERT INTO ${sql.identifier(table)} (organization_id, id, time, enforcer_id, kind, action, src_ip, dst_host, dst_port, rule_id, payload) VALUES ${values} ON CONFLICT DO NOTHING`,
  );
}

/**
 * Loads history with the real table's columns: sources from a pool of 50,000 addresses and 500
 * destinations (an inventory-sized cardinality), 200 rules, one event in twenty a request with
 * a WAF or DLP detection. Payloads are minimal: the row format, not the bytes, is what the
 * console's queries read.
 */
async function generate(db: Database, organizationId: string) {
  await db.execute(
    sql`SELECT ringfence_ensure_event_partitions((now() AT TIME ZONE 'UTC')::date - 10, 12)`,
  );
  // A bulk load of history skips the per-statement trigger and builds the rollups set-based
  // afterwards, as an import of old events would; live ingestion above keeps the trigger.
  await db.execute(sql`ALTER TABLE events DISABLE TRIGGER events_inserted`);
  const chunk = 1_000_000;
  for (let done = 0; done < STORED; done += chunk) {
    const n = Math.min(chunk, STORED - done);
    await db.execute(sql`
      INSERT INTO events (organization_id, id, time, enforcer_id, kind, action, src_ip, dst_host, dst_port, rule_id, payload)
      SELECT ${organizationId}, gen_random_uuid(), now() - (g % 864000) * interval '1 second',
        'enf_history', CASE WHEN g % 20 = 0 THEN 'request' ELSE 'connection' END,
        (ARRAY['allow','deny','monitor'])[1 + g % 3],
        ('10.' || (g % 50000) / 65536 || '.' || ((g % 50000) / 256) % 256 || '.' || g % 256)::inet,
        'svc' || g % 500 || '.internal', 443, 'rul_' || g % 200,
        CASE WHEN g % 20 = 0 THEN jsonb_build_object('detections', jsonb_build_array(
          jsonb_build_object('category', (ARRAY['waf','dlp','ips'])[1 + g % 3], 'severity', 'high')))
        ELSE '{}'::jsonb END
      FROM generate_series(${done + 1}::int, ${done + n}::int) AS g
    `);
  }
  await db.execute(sql`ALTER TABLE events ENABLE TRIGGER events_inserted`);
  await rebuildRollups(db, organizationId);
}

/**
 * Recomputes the hourly rollups of the generated rows in set-based statements (denied decisions
 * counted in the same endpoint rows), then the daily ones from the hourly (whole days, live rows
 * included, so they are set, not added). Rows are written in key order, so an hour's or a day's
 * rows sit together on disk as they do when the trigger writes them during that hour or day; in
 * hash order every row of an edge hour was a page read of its own.
 */
async function rebuildRollups(db: Database, organizationId: string) {
  const history = sql`organization_id = ${organizationId} AND enforcer_id = 'enf_history'`;
  const org = sql`organization_id = ${organizationId}`;
  await db.execute(sql`
    INSERT INTO event_counts_hourly AS c
    SELECT organization_id, date_trunc('hour', time, 'UTC'), kind, action, coalesce(rule_id, ''),
      count(*), min(time), max(time)
    FROM events WHERE ${history}
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, hour, kind, action, rule_id) DO UPDATE SET
      events = c.events + excluded.events, first_time = least(c.first_time, excluded.first_time),
      last_time = greatest(c.last_time, excluded.last_time)
  `);
  await db.execute(sql`
    INSERT INTO event_counts_daily AS c
    SELECT organization_id, date_trunc('day', hour, 'UTC'), kind, action, rule_id, sum(events),
      min(first_time), max(last_time)
    FROM event_counts_hourly WHERE ${org}
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, day, kind, action, rule_id) DO UPDATE SET
      events = excluded.events, first_time = excluded.first_time, last_time = excluded.last_time
  `);
  await db.execute(sql`
    INSERT INTO event_endpoints_hourly AS e (organization_id, hour, side, value, events, denied)
    SELECT organization_id, date_trunc('hour', time, 'UTC'), side, value, count(*),
      count(*) FILTER (WHERE action = 'deny')
    FROM (
      SELECT organization_id, time, action, 'src' AS side, host(src_ip) AS value FROM events
      WHERE ${history}
      UNION ALL
      SELECT organization_id, time, action, 'dst', coalesce(dst_host, '') || ':' || dst_port
      FROM events WHERE ${history}
    ) AS sides GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4
    ON CONFLICT (organization_id, hour, side, value) DO UPDATE SET
      events = e.events + excluded.events, denied = e.denied + excluded.denied
  `);
  await db.execute(sql`
    INSERT INTO event_endpoints_daily AS e (organization_id, day, side, value, events, denied)
    SELECT organization_id, date_trunc('day', hour, 'UTC'), side, value, sum(events), sum(denied)
    FROM event_endpoints_hourly WHERE ${org}
    GROUP BY 1, 2, 3, 4 ORDER BY 1, 3, 2, 4
    ON CONFLICT (organization_id, side, day, value) DO UPDATE SET
      events = excluded.events, denied = excluded.denied
  `);
  await db.execute(sql`
    INSERT INTO event_detections_hourly AS d
    SELECT organization_id, date_trunc('hour', time, 'UTC'), x->>'category', x->>'severity', count(*)
    FROM events, jsonb_array_elements(coalesce(payload->'detections', '[]'::jsonb)) AS x
    WHERE ${history} AND kind = 'request'
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (organization_id, hour, category, severity) DO UPDATE SET events = d.events + excluded.events
  `);
}

/** CPU milliseconds a PostgreSQL backend on this machine has used (utime + stime, 100 Hz). */
function backendCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const RUNS = 3;

/**
 * Runs a query RUNS times, each in a transaction of its own so every statement of it goes to one
 * backend, whose CPU time is read from /proc around it (the server is on 127.0.0.1). On a shared
 * machine the wall time follows the load; the backend's CPU time much less. Parallel workers are
 * turned off for the run, so that CPU time is the query's whole cost.
 */
async function measure(ctx: ReportContext, work: (ctx: ReportContext) => Promise<unknown>) {
  const wallMs: number[] = [];
  let cpuMs = 0;
  for (let run = 0; run < RUNS; run++) {
    await ctx.db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL max_parallel_workers_per_gather = 0`);
      const [backend] = await queryRows<{ pid: number }>(tx, sql`SELECT pg_backend_pid() AS pid`);
      const before = backendCpuMs(backend?.pid ?? 0);
      wallMs.push((await timed(() => work({ ...ctx, db: tx }))).ms);
      cpuMs += backendCpuMs(backend?.pid ?? 0) - before;
    });
  }
  return { wallMs, cpuMs: Math.round(cpuMs / RUNS) };
}

/** Times the console's queries through the services its routes call. */
async function timeQueries(ctx: ReportContext, someEventId: string) {
  const week = {
    from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
    limit: 10,
    bucket: "hour" as const,
  };
  // The costliest start for a week: an edge day of twelve hours, whichever way it is read.
  const noon = new Date(Date.now() - 7 * 86_400_000);
  noon.setUTCHours(12, 0, 0, 0);
  const day = { limit: 10, bucket: "hour" as const };
  const firstPage = await listEvents({ ctx, input: { limit: 50 } });
  const query = (work: (ctx: ReportContext) => Promise<unknown>) => measure(ctx, work);
  return {
    trafficLast24hHourly: await query((ctx) => decisionsOverTime({ ctx, input: day })),
    trafficLast7dDaily: await query((ctx) =>
      decisionsOverTime({ ctx, input: { ...week, bucket: "day" } }),
    ),
    topSourcesLast24h: await query((ctx) => topEndpoints({ ctx, input: { ...day, side: "src" } })),
    topSourcesLast7d: await query((ctx) => topEndpoints({ ctx, input: { ...week, side: "src" } })),
    topSourcesLast7dFromNoon: await query((ctx) =>
      topEndpoints({ ctx, input: { ...week, from: noon.toISOString(), side: "src" } }),
    ),
    topDestinationsLast7d: await query((ctx) =>
      topEndpoints({ ctx, input: { ...week, side: "dst" } }),
    ),
    topDeniedSourcesLast7d: await query((ctx) =>
      topEndpoints({ ctx, input: { ...week, side: "src", action: "deny" } }),
    ),
    ruleHitsLast7d: await query((ctx) => ruleHits({ ctx, input: week })),
    detectionsLast7d: await query((ctx) => detectionsByCategory({ ctx, input: week })),
    explorerFirstPage: await query((ctx) => listEvents({ ctx, input: { limit: 50 } })),
    explorerSecondPage: await query((ctx) =>
      listEvents({ ctx, input: { limit: 50, cursor: firstPage.nextCursor ?? undefined } }),
    ),
    explorerDenied: await query((ctx) => listEvents({ ctx, input: { limit: 50, action: "deny" } })),
    explorerByRule: await query((ctx) =>
      listEvents({ ctx, input: { limit: 50, ruleId: "rul_7" } }),
    ),
    explorerBySource: await query((ctx) =>
      listEvents({ ctx, input: { limit: 50, srcIp: "10.0.3.7" } }),
    ),
    explorerByDstHost: await query((ctx) =>
      listEvents({ ctx, input: { limit: 50, dstHost: "svc7.internal" } }),
    ),
    explorerByCategory: await query((ctx) =>
      listEvents({ ctx, input: { limit: 50, category: "dlp" } }),
    ),
    eventById: await query((ctx) => getEvent({ ctx, input: { eventId: someEventId } })),
  };
}

/** The top lists as they were read before the daily rollup (migration 0014): hourly rows only. */
async function timeHourlyOnlyTopLists(ctx: ReportContext) {
  const from = new Date(Date.now() - 7 * 86_400_000).toISOString();
  const to = new Date().toISOString();
  const top = (side: "src" | "dst") =>
    measure(ctx, (ctx) =>
      ctx.db.execute(sql`
        SELECT value, sum(events) AS events FROM event_endpoints_hourly
        WHERE organization_id = ${ctx.organizationId} AND side = ${side}
          AND hour >= date_trunc('hour', ${from}::timestamptz, 'UTC') AND hour < ${to}::timestamptz
        GROUP BY value ORDER BY sum(events) DESC, value LIMIT 10
      `),
    );
  return { topSourcesLast7d: await top("src"), topDestinationsLast7d: await top("dst") };
}

async function main() {
  if (!BASE) throw new Error("bench:events needs RINGFENCE_TEST_PG_URL (PostgreSQL on 127.0.0.1)");
  process.env.RINGFENCE_TEST_BACKEND = "pg";
  const plane = await startControlPlane();
  const db = plane.server.database.db;
  const secret = newWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  try {
    const report = prepareReport(db, await testRuntime());
    const ctx: ReportContext = {
      ...(await orgWithContext(db, report)),
      organizationId: plane.orgId,
    };
    await createIntegration({
      ctx,
      input: {
        kind: "webhook",
        name: "bench",
        target: receiver.url,
        secret,
        classes: [],
        minSeverity: 0,
        includeAudit: false,
        enabled: true,
        deadLetterAfterSeconds: 3600,
      },
    });
    const enforcers = await Promise.all(
      Array.from({ length: ENFORCERS }, (_, i) => registerEnforcer(plane, `bench-${i}`)),
    );
    const ids = enforcers.map((enforcer) => enforcer.answer.enforcerId);

    const live = lanesOf(LIVE, ENFORCERS, ids);
    const ingestion = await timed(() =>
      runLanes(
        live,
        (batch, lane) => enforcers[lane]?.client.postEvents(batch) ?? Promise.resolve(),
      ),
    );
    // The references write the same batches into another organisation, which has no
    // integration, so the delivery below counts only what came through the real path.
    const quiet = (await orgWithContext(db, report)).organizationId;
    // The ingestion verb alone (what the route calls after parsing), to separate the database
    // side from HTTP and validation.
    const verb = await timed(() =>
      runLanes(lanesOf(LIVE, ENFORCERS, ids), (batch) => ingest(db, quiet, batch)),
    );
    const previous = await timed(() =>
      runLanes(lanesOf(LIVE, ENFORCERS, ids), (batch) => insertValues(db, "events", quiet, batch)),
    );
    await db.execute(sql`CREATE TABLE bench_plain (LIKE events INCLUDING DEFAULTS)`);
    const plain = await timed(() =>
      runLanes(lanesOf(LIVE, ENFORCERS, ids), (batch) =>
        insertValues(db, "bench_plain", quiet, batch),
      ),
    );

    const settings = { ...DEFAULT_OUTBOX_SETTINGS, batchSize: 500, fanOutBatch: 5000 };
    // The rate per fifth of the drain: with the whole backlog queued at the start, a rate that
    // falls from the first fifth to the last is a cost that grows with the queue.
    const fifths: number[] = [];
    const delivery = await timed(async () => {
      let mark = performance.now();
      while (receiver.collector.uids.size < LIVE) {
        await runOutboxRound(db, report, settings);
        if (receiver.collector.uids.size >= ((fifths.length + 1) * LIVE) / 5) {
          fifths.push(perSecond(LIVE / 5, performance.now() - mark));
          mark = performance.now();
        }
      }
    });

    const generation = await timed(() => generate(db, plane.orgId));
    // What autovacuum does after a bulk insert: statistics, and the visibility map that lets
    // the rollup queries read counts from their indexes alone.
    await db.execute(
      sql`VACUUM (ANALYZE) event_counts_hourly, event_counts_daily, event_endpoints_hourly, event_endpoints_daily, event_detections_hourly`,
    );
    await db.execute(sql`ANALYZE events`);
    // An event that came through the real path: history rows carry no full payload to show.
    const [someEvent] = await db
      .select({ id: events.id })
      .from(events)
      .where(eq(events.enforcerId, ids[0] ?? ""))
      .limit(1);
    const queriesMs = await timeQueries(ctx, someEvent?.id ?? "");
    const hourlyOnlyMs = await timeHourlyOnlyTopLists(ctx);

    const results = {
      measuredAt: new Date().toISOString(),
      storedEvents: STORED + 2 * LIVE,
      ingestion: {
        events: LIVE,
        enforcers: ENFORCERS,
        batch: BATCH,
        eventsPerSecond: perSecond(LIVE, ingestion.ms),
        verbOnlyEventsPerSecond: perSecond(LIVE, verb.ms),
        previousPerBatchInsertEventsPerSecond: perSecond(LIVE, previous.ms),
        plainInsertEventsPerSecond: perSecond(LIVE, plain.ms),
        ratioToPreviousPath: Math.round((previous.ms / ingestion.ms) * 100) / 100,
        verbRatioToPreviousPath: Math.round((previous.ms / verb.ms) * 100) / 100,
        ratioToPlainInsert: Math.round((plain.ms / ingestion.ms) * 100) / 100,
      },
      delivery: {
        events: LIVE,
        eventsPerSecond: perSecond(LIVE, delivery.ms),
        eventsPerSecondByFifth: fifths,
        received: receiver.collector.received,
      },
      generationSeconds: Math.round(generation.ms / 100) / 10,
      queriesMs,
      hourlyOnlyMs,
    };
    const out = join(
      fileURLToPath(new URL("../../bench-results/", import.meta.url)),
      "events.json",
    );
    mkdirSync(join(out, ".."), { recursive: true });
    writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  } finally {
    await receiver.close();
    await plane.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
