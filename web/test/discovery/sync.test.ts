import { cloudAccounts, inventoryAssets, type RingfenceDatabase, syncRuns } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsAccount, AwsReplay } from "../../../test/replay/aws/index.ts";
import {
  claimNextSync,
  type DiscoveryRuntime,
  enqueueDueSyncs,
  enqueueSync,
  processNextSync,
} from "../../src/server/discovery/sync/index.ts";
import type { KeyEncryptionKey } from "../../src/server/services/keys/kek.ts";
import { connection, demoAccount, startAwsReplay, target, world } from "./aws-fixtures.ts";
import { legs, newOrganization, testKek } from "./db-legs.ts";

describe.each(legs)("sync on $name", ({ open, skip }) => {
  let database: RingfenceDatabase;
  let drop: (() => Promise<void>) | undefined;
  let replay: AwsReplay;
  let cloud: AwsAccount;
  let kek: KeyEncryptionKey;
  let organizationId: string;
  let accountId: string;
  const changes: number[] = [];
  const runtime = (): DiscoveryRuntime => ({
    db: database.db,
    kek,
    aws: connection(replay, 2),
    onInventoryChanged: async ({ applied }) => void changes.push(applied.rowsWritten),
  });

  beforeAll(async () => {
    if (skip) return;
    ({ database, drop } = await open());
    kek = await testKek();
    cloud = demoAccount();
    replay = await startAwsReplay(world([cloud]));
    organizationId = await newOrganization(database, "sync-org");
    const roleArn = target(cloud).roleArn;
    const [row] = await database.db
      .insert(cloudAccounts)
      .values({
        organizationId,
        provider: "aws",
        name: "prod",
        cloudAccountId: cloud.accountId,
        roleArn,
        externalId: cloud.externalId,
        status: "active",
      })
      .returning();
    accountId = row?.id ?? "";
  }, 120_000);
  afterAll(async () => {
    if (skip) return;
    await replay?.close();
    await database?.close();
    await drop?.();
  });

  const stored = () =>
    database.db
      .select()
      .from(inventoryAssets)
      .where(
        and(
          eq(inventoryAssets.organizationId, organizationId),
          eq(inventoryAssets.accountId, accountId),
        ),
      );
  const syncNow = async () => {
    await enqueueSync(database.db, { organizationId, accountId, trigger: "manual" });
    return processNextSync(runtime());
  };

  it.skipIf(skip)("first sync stores every asset and records the diff", async () => {
    const outcome = await syncNow();
    expect(outcome?.status).toBe("succeeded");
    expect(outcome?.applied?.added).toBe(9);
    expect(await stored()).toHaveLength(9);
    const [run] = await database.db
      .select()
      .from(syncRuns)
      .where(eq(syncRuns.accountId, accountId));
    expect(run).toMatchObject({ status: "succeeded", added: 9, changed: 0, removed: 0 });
  });

  it.skipIf(skip)("a re-sync with nothing changed writes no row", async () => {
    const outcome = await syncNow();
    expect(outcome?.applied).toMatchObject({
      added: 0,
      changed: 0,
      removed: 0,
      unchanged: 9,
      rowsWritten: 0,
    });
  });

  it.skipIf(skip)("a changed tag and a terminated instance write exactly those rows", async () => {
    const east = cloud.regions["us-east-1"];
    const eni = east?.networkInterfaces[0];
    if (eni) eni.tags = [{ key: "app", value: "api" }];
    east?.instances.splice(0, 1);
    const written = changes.length;
    const outcome = await syncNow();
    expect(outcome?.applied?.diff).toEqual({
      added: [],
      changed: ["arn:aws:ec2:us-east-1:111122223333:network-interface/eni-1"],
      removed: ["arn:aws:ec2:us-east-1:111122223333:instance/i-web1"],
    });
    expect(outcome?.applied?.rowsWritten).toBe(2);
    expect((await stored()).some((row) => row.kind === "instance")).toBe(false);
    expect(changes.slice(written)).toEqual([2]);
  });

  it.skipIf(skip)(
    "a failing region keeps its stored assets and marks the account partial",
    async () => {
      const west = cloud.regions["eu-west-1"];
      if (west) west.failure = { status: 500, code: "InternalError", message: "region down" };
      const outcome = await syncNow();
      expect(outcome?.status).toBe("partial");
      expect(outcome?.applied?.removed).toBe(0);
      expect((await stored()).some((row) => row.region === "eu-west-1")).toBe(true);
      const [account] = await database.db
        .select()
        .from(cloudAccounts)
        .where(eq(cloudAccounts.id, accountId));
      expect(account?.status).toBe("partial");
      expect(account?.statusMessage).toMatch(/^InternalError in region:eu-west-1/);
      if (west) delete west.failure;
    },
  );

  it.skipIf(skip)(
    "a wrong ExternalId fails the run, keeps the inventory and names the fix",
    async () => {
      const before = (await stored()).length;
      cloud.externalId = "rf-ext-rotated";
      const outcome = await syncNow();
      cloud.externalId = demoAccount().externalId;
      expect(outcome?.status).toBe("failed");
      expect(await stored()).toHaveLength(before);
      const [account] = await database.db
        .select()
        .from(cloudAccounts)
        .where(eq(cloudAccounts.id, accountId));
      expect(account?.status).toBe("error");
      expect(account?.statusMessage).toMatch(
        /^AccessDenied assuming role .*: the role's trust policy must require ExternalId rf-ext-0123456789abcdef /,
      );
    },
  );

  it.skipIf(skip)("only one of two concurrent workers claims a queued sync", async () => {
    await enqueueSync(database.db, { organizationId, accountId, trigger: "manual" });
    const again = await enqueueSync(database.db, { organizationId, accountId, trigger: "manual" });
    const claims = await Promise.all([claimNextSync(database.db), claimNextSync(database.db)]);
    expect(claims.filter(Boolean).map((run) => run?.id)).toEqual([again.id]);
    const [claimed] = claims.filter((run) => run !== undefined);
    if (claimed)
      await database.db
        .update(syncRuns)
        .set({ status: "failed" })
        .where(eq(syncRuns.id, claimed.id));
  });

  it.skipIf(skip)("the schedule queues due online accounts and never offline ones", async () => {
    const past = new Date(Date.now() - 60_000);
    await database.db
      .update(cloudAccounts)
      .set({ nextSyncAt: past, status: "active" })
      .where(eq(cloudAccounts.id, accountId));
    const [demo] = await database.db
      .insert(cloudAccounts)
      .values({
        organizationId,
        provider: "aws",
        name: "demo",
        cloudAccountId: "999988887777",
        offline: true,
        status: "active",
        nextSyncAt: past,
      })
      .returning();
    expect(await enqueueDueSyncs(database.db)).toBe(1);
    const queued = await database.db.select().from(syncRuns).where(eq(syncRuns.status, "queued"));
    expect(queued.map((run) => run.accountId)).toEqual([accountId]);
    expect(queued.some((run) => run.accountId === demo?.id)).toBe(false);
  });
});
