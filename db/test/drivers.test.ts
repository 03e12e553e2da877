import { count, eq } from "drizzle-orm";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEMO_OWNER_EMAIL,
  isId,
  memberships,
  openDatabase,
  organizations,
  type RingfenceDatabase,
  seedDemo,
  users,
  verifyPassword,
} from "../src/index.ts";
import { createScratchDatabase, testPostgresUrl } from "../src/testing.ts";

const pgUrl = testPostgresUrl();

interface Leg {
  name: string;
  skip?: boolean;
  open: () => Promise<{ database: RingfenceDatabase; drop?: () => Promise<void> }>;
}

const legs: Leg[] = [
  { name: "pglite", open: async () => ({ database: await openDatabase({ inMemory: true }) }) },
  {
    name: "postgres",
    skip: !pgUrl,
    open: async () => {
      const scratch = await createScratchDatabase(pgUrl ?? "");
      return { database: await openDatabase({ url: scratch.url }), drop: scratch.drop };
    },
  },
];

describe.each(legs)("$name", ({ open, skip }) => {
  let database: RingfenceDatabase;
  let drop: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    if (skip) return;
    ({ database, drop } = await open());
  });
  afterAll(async () => {
    await database?.close();
    await drop?.();
  });

  it.skipIf(skip)("commits a transaction's writes together", async () => {
    await database.db.transaction(async (tx) => {
      await tx.insert(organizations).values({ name: "One", slug: "tx-one" });
      await tx.insert(organizations).values({ name: "Two", slug: "tx-two" });
    });
    const [row] = await database.db.select({ n: count() }).from(organizations);
    expect(row?.n).toBeGreaterThanOrEqual(2);
  });

  it.skipIf(skip)("rolls back every write of a transaction that throws", async () => {
    const attempt = database.db.transaction(async (tx) => {
      await tx.insert(organizations).values({ name: "Gone", slug: "tx-gone" });
      await tx.insert(organizations).values({ name: "Duplicate", slug: "tx-gone" });
    });
    await expect(attempt).rejects.toThrow();

    const rows = await database.db
      .select()
      .from(organizations)
      .where(eq(organizations.slug, "tx-gone"));
    expect(rows).toEqual([]);
  });

  it.skipIf(skip)("gives new rows prefixed ids and timestamps", async () => {
    const [org] = await database.db
      .insert(organizations)
      .values({ name: "Stamped", slug: "stamped" })
      .returning();
    expect(org && isId("org", org.id)).toBe(true);
    expect(org?.createdAt).toBeInstanceOf(Date);
  });

  it.skipIf(skip)("seeds the demo organisation and owner idempotently", async () => {
    const first = await seedDemo(database.db, { password: "first-password" });
    const second = await seedDemo(database.db, { password: "second-password" });
    expect(second).toEqual(first);

    const owners = await database.db.select().from(users).where(eq(users.email, DEMO_OWNER_EMAIL));
    expect(owners).toHaveLength(1);
    expect(await verifyPassword("second-password", owners[0]?.passwordHash ?? "")).toBe(true);

    const roles = await database.db
      .select({ role: memberships.role })
      .from(memberships)
      .where(eq(memberships.organizationId, first.organizationId));
    expect(roles).toEqual([{ role: "owner" }]);
  });
});

describe.skipIf(!pgUrl)("postgres connections the server ends", () => {
  it("are replaced at the next query instead of crashing the process", async () => {
    const scratch = await createScratchDatabase(pgUrl ?? "");
    const database = await openDatabase({ url: scratch.url });
    try {
      await database.db.select({ n: count() }).from(organizations);
      const admin = new pg.Client({ connectionString: pgUrl });
      await admin.connect();
      const name = new URL(scratch.url).pathname.slice(1);
      const ended = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1",
        [name],
      );
      await admin.end();
      expect(ended.rowCount).toBeGreaterThan(0);
      await new Promise((resolve) => setTimeout(resolve, 200));

      const [row] = await database.db.select({ n: count() }).from(organizations);
      expect(row?.n).toBe(0);
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});
