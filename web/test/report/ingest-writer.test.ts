import type { Database } from "@ringfence/db";
import { events } from "@ringfence/db";
import { eq, sql } from "@ringfence/db/orm";
import { testPostgresUrl } from "@ringfence/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventWriter } from "../../src/server/services/ingest/writer.ts";
import { queryRows } from "../../src/server/services/outbox/sql.ts";
import { decisionEvent, openTestDatabase, orgWithContext, testRuntime } from "./harness.ts";

const backends = [
  { name: "pglite", skip: false },
  { name: "pg", skip: !testPostgresUrl() },
] as const;

for (const backend of backends) {
  describe.skipIf(backend.skip)(`group-committed event writes (${backend.name})`, () => {
    let close: () => Promise<void>;
    let db: Database;
    let orgA: string;
    let orgB: string;

    beforeAll(async () => {
      const opened = await openTestDatabase(backend.name);
      close = opened.close;
      db = opened.database.db;
      orgA = (await orgWithContext(db, await testRuntime())).organizationId;
      orgB = (await orgWithContext(db, await testRuntime())).organizationId;
    });
    afterAll(() => close());

    const batch = (from: number, count: number, enforcer: string) =>
      Array.from({ length: count }, (_, i) => decisionEvent(from + i, enforcer));
    const storedOf = async (organizationId: string) =>
      (await db.select().from(events).where(eq(events.organizationId, organizationId))).length;

    it("credits each batch with exactly its new events when batches share a statement", async () => {
      const writer = new EventWriter(db);
      const first = batch(0, 300, "enf_a");
      const overlap = [...first.slice(0, 100), ...batch(300, 50, "enf_a")];
      const other = batch(0, 200, "enf_b");
      // Issued together: the first goes alone, the other two queue and share the next statement.
      const answers = await Promise.all([
        writer.write(orgA, first),
        writer.write(orgA, overlap),
        writer.write(orgB, other),
      ]);
      expect(answers).toEqual([300, 50, 200]);
      expect(await storedOf(orgA)).toBe(350);
      expect(await storedOf(orgB)).toBe(200);
      expect(await writer.write(orgA, first)).toBe(0);
    });

    it("keeps the rollups and event rows consistent with what was accepted", async () => {
      const [row] = await queryRows<{ events: string | number }>(
        db,
        sql`SELECT sum(events) AS events FROM event_counts_hourly WHERE organization_id = ${orgA}`,
      );
      expect(Number(row?.events)).toBe(350);
    });

    it("counts a resent event once in every rollup, hourly and daily", async () => {
      const org = (await orgWithContext(db, await testRuntime())).organizationId;
      const sent = batch(5000, 240, "enf_c");
      const writer = new EventWriter(db);
      expect(await writer.write(org, sent)).toBe(240);
      const once = await rollupTotals(db, org);
      const denied = sent.filter((event) => event.action === "deny").length;
      const detections = sent.filter((event) => event.kind === "request").length;
      expect(once).toEqual({
        counts_hourly: 240,
        counts_daily: 240,
        src_hourly: 240,
        src_daily: 240,
        dst_hourly: 240,
        dst_daily: 240,
        denied_hourly: 2 * denied,
        denied_daily: 2 * denied,
        detections,
      });

      // Resent whole, in part beside new events, and by two writers sharing nothing.
      const fresh = batch(6000, 10, "enf_c");
      const answers = await Promise.all([
        writer.write(org, sent),
        new EventWriter(db).write(org, [...sent.slice(0, 50), ...fresh]),
      ]);
      expect(answers).toEqual([0, 10]);
      const again = await rollupTotals(db, org);
      const freshDenied = fresh.filter((event) => event.action === "deny").length;
      expect(again).toEqual({
        ...once,
        counts_hourly: 250,
        counts_daily: 250,
        src_hourly: 250,
        src_daily: 250,
        dst_hourly: 250,
        dst_daily: 250,
        denied_hourly: 2 * (denied + freshDenied),
        denied_daily: 2 * (denied + freshDenied),
        detections: detections + fresh.filter((event) => event.kind === "request").length,
      });
    });

    it("fails only the batch that cannot be stored, storing the others of its statement", async () => {
      const writer = new EventWriter(db);
      const blocker = writer.write(orgB, batch(1000, 10, "enf_b"));
      const results = await Promise.allSettled([
        writer.write("org_doesnotexist00000000000000", batch(2000, 5, "enf_x")),
        writer.write(orgB, batch(3000, 20, "enf_b")),
      ]);
      expect(await blocker).toBe(10);
      expect(results[0]).toMatchObject({ status: "rejected" });
      expect(results[1]).toEqual({ status: "fulfilled", value: 20 });
      expect(await storedOf(orgB)).toBe(230);
    });
  });
}

/** Every rollup's total for one organisation (denied: both sides of the endpoint rollups). */
async function rollupTotals(db: Database, organizationId: string) {
  const sum = (table: string, column = "events", where = "true") =>
    sql`(SELECT coalesce(sum(${sql.raw(column)}), 0)::int FROM ${sql.raw(table)}
      WHERE organization_id = ${organizationId} AND ${sql.raw(where)})`;
  const [row] = await queryRows<Record<string, number>>(
    db,
    sql`SELECT ${sql.join(
      [
        sql`${sum("event_counts_hourly")} AS counts_hourly`,
        sql`${sum("event_counts_daily")} AS counts_daily`,
        sql`${sum("event_endpoints_hourly", "events", "side = 'src'")} AS src_hourly`,
        sql`${sum("event_endpoints_daily", "events", "side = 'src'")} AS src_daily`,
        sql`${sum("event_endpoints_hourly", "events", "side = 'dst'")} AS dst_hourly`,
        sql`${sum("event_endpoints_daily", "events", "side = 'dst'")} AS dst_daily`,
        sql`${sum("event_endpoints_hourly", "denied")} AS denied_hourly`,
        sql`${sum("event_endpoints_daily", "denied")} AS denied_daily`,
        sql`${sum("event_detections_hourly")} AS detections`,
      ],
      sql`, `,
    )}`,
  );
  return row;
}
