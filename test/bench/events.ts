import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase } from "@ringfence/db";
import { sql } from "@ringfence/db/orm";
import { createScratchDatabase } from "@ringfence/db/testing";
import { DEFAULT_OUTBOX_SETTINGS, runOutboxRound } from "../../web/src/server/jobs/outbox.ts";
import {
  decisionsOverTime,
  ruleHits,
  topEndpoints,
} from "../../web/src/server/services/analytics/summary.ts";
import { getEvent } from "../../web/src/server/services/events/get.ts";
import { listEvents } from "../../web/src/server/services/events/list.ts";
import { createIntegration } from "../../web/src/server/services/integrations/create.ts";
import { newWebhookSecret } from "../../web/src/server/services/integrations/secret.ts";
import {
  decisionEvent,
  ingest,
  orgWithContext,
  testRuntime,
} from "../../web/test/report/harness.ts";
import { startWebhookReceiver } from "../receivers/index.ts";

/**
 * `pnpm bench:events` (PostgreSQL: RINGFENCE_TEST_PG_URL): ingestion events/s through the real
 * ingestion verb (batches of 500, trigger-fed outbox and rollups included) against a reference
 * of the same rows inserted into a plain copy of the table; delivery events/s to a signed-webhook
 * receiver on 127.0.0.1; then BENCH_EVENTS rows (default 10 million) generated with
 * generate_series over ten days, and the console's main queries timed on them.
 */
const BASE = process.env.RINGFENCE_TEST_PG_URL;
const STORED = Number(process.env.BENCH_EVENTS ?? 10_000_000);
const LIVE = Number(process.env.BENCH_LIVE_EVENTS ?? 20_000);
const ms = (start: number) => Math.round((performance.now() - start) * 10) / 10;

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; result: T }> {
  const start = performance.now();
  const result = await work();
  return { ms: ms(start), result };
}

async function generate(db: Parameters<typeof orgWithContext>[0], organizationId: string) {
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
        'enf_bench', 'connection', (ARRAY['allow','deny','monitor'])[1 + g % 3],
        ('10.' || (g / 65536) % 256 || '.' || (g / 256) % 256 || '.' || g % 256)::inet,
        'svc' || g % 500 || '.internal', 443, 'rul_' || g % 200, '{}'::jsonb
      FROM generate_series(${done + 1}::int, ${done + n}::int) AS g
    `);
  }
  await db.execute(sql`ALTER TABLE events ENABLE TRIGGER events_inserted`);
  await rebuildRollups(db, organizationId);
}

/** Recomputes the hourly rollups of the generated rows in three set-based statements. */
async function rebuildRollups(db: Parameters<typeof orgWithContext>[0], organizationId: string) {
  await db.execute(sql`
    INSERT INTO event_counts_hourly AS c
    SELECT organization_id, date_trunc('hour', time, 'UTC'), kind, action, coalesce(rule_id, ''),
      count(*), min(time), max(time)
    FROM events WHERE organization_id = ${organizationId} AND enforcer_id = 'enf_bench'
    GROUP BY 1, 2, 3, 4, 5
    ON CONFLICT (organization_id, hour, kind, action, rule_id) DO UPDATE SET
      events = c.events + excluded.events, first_time = least(c.first_time, excluded.first_time),
      last_time = greatest(c.last_time, excluded.last_time)
  `);
  await db.execute(sql`
    INSERT INTO event_endpoints_hourly AS e
    SELECT organization_id, date_trunc('hour', time, 'UTC'), side, value, count(*) FROM (
      SELECT organization_id, time, 'src' AS side, host(src_ip) AS value FROM events
      WHERE organization_id = ${organizationId} AND enforcer_id = 'enf_bench'
      UNION ALL
      SELECT organization_id, time, 'dst', coalesce(dst_host, '') || ':' || dst_port FROM events
      WHERE organization_id = ${organizationId} AND enforcer_id = 'enf_bench'
    ) AS sides GROUP BY 1, 2, 3, 4
    ON CONFLICT (organization_id, hour, side, value) DO UPDATE SET events = e.events + excluded.events
  `);
}

async function main() {
  if (!BASE) throw new Error("bench:events needs RINGFENCE_TEST_PG_URL (PostgreSQL on 127.0.0.1)");
  const scratch = await createScratchDatabase(BASE);
  const database = await openDatabase({ url: scratch.url, poolSize: 4 });
  const db = database.db;
  const secret = newWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  try {
    const ctx = await orgWithContext(db, await testRuntime());
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
    const batches = Array.from({ length: LIVE / 500 }, (_, b) =>
      Array.from({ length: 500 }, (_, i) => decisionEvent(b * 500 + i)),
    );
    const ingestion = await timed(async () => {
      for (const batch of batches) await ingest(db, ctx.organizationId, batch);
    });
    await db.execute(sql`CREATE TABLE bench_reference (LIKE events INCLUDING DEFAULTS)`);
    const reference = await timed(async () => {
      for (const batch of batches) {
        const values = sql.join(
          batch.map(
            (e) =>
              sql`(${ctx.organizationId}, ${e.id}::uuid, ${e.time}::timestamptz, ${e.enforcer.id}, ${e.kind}, ${e.action}, ${e.src.ip}::inet, ${e.dst.host ?? null}, ${e.dst.port}, ${e.reasons.ruleId ?? null}, ${JSON.stringify(e)}::jsonb)`,
          ),
          sql`, `,
        );
        await db.execute(
          sql`INSERT INTO bench_reference (organization_id, id, time, enforcer_id, kind, action, src_ip, dst_host, dst_port, rule_id, payload) VALUES ${values}`,
        );
      }
    });
    const settings = { ...DEFAULT_OUTBOX_SETTINGS, batchSize: 500, fanOutBatch: 5000 };
    const delivery = await timed(async () => {
      while (receiver.collector.uids.size < LIVE) await runOutboxRound(db, ctx.report, settings);
    });

    const generation = await timed(() => generate(db, ctx.organizationId));
    await db.execute(sql`ANALYZE events`);
    const week = {
      from: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      limit: 10,
      bucket: "hour" as const,
    };
    const day = { limit: 10, bucket: "hour" as const };
    const queries = {
      decisionsLast24h: (await timed(() => decisionsOverTime({ ctx, input: day }))).ms,
      decisionsLast7dByDay: (
        await timed(() => decisionsOverTime({ ctx, input: { ...week, bucket: "day" } }))
      ).ms,
      topSourcesLast24h: (await timed(() => topEndpoints({ ctx, input: { ...day, side: "src" } })))
        .ms,
      topDestinationsLast7d: (
        await timed(() => topEndpoints({ ctx, input: { ...week, side: "dst" } }))
      ).ms,
      ruleHitsLast7d: (await timed(() => ruleHits({ ctx, input: week }))).ms,
      eventsFirstPageDenied: (
        await timed(() => listEvents({ ctx, input: { limit: 50, action: "deny" } }))
      ).ms,
      eventsByRuleFirstPage: (
        await timed(() => listEvents({ ctx, input: { limit: 50, ruleId: "rul_7" } }))
      ).ms,
      eventById: (
        await timed(() => getEvent({ ctx, input: { eventId: batches[0]?.[0]?.id ?? "" } }))
      ).ms,
    };
    const results = {
      storedEvents: STORED + LIVE,
      ingestion: {
        events: LIVE,
        eventsPerSecond: Math.round(LIVE / (ingestion.ms / 1000)),
        referencePlainInsertEventsPerSecond: Math.round(LIVE / (reference.ms / 1000)),
        ratioToReference: Math.round((reference.ms / ingestion.ms) * 100) / 100,
      },
      delivery: {
        events: LIVE,
        eventsPerSecond: Math.round(LIVE / (delivery.ms / 1000)),
        received: receiver.collector.received,
      },
      generationSeconds: Math.round(generation.ms / 100) / 10,
      queriesMs: queries,
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
    await database.close();
    await scratch.drop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
