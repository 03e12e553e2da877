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
