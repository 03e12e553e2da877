import { cloudAccounts, type Database, type SyncRun, syncRuns } from "@ringfence/db";
import { and, asc, eq, inArray, isNotNull, lte, sql } from "@ringfence/db/orm";

/**
 * Queues a sync for an account unless one is already queued or running (the partial unique
 * index makes that hold under concurrent requests too); returns the open run either way.
 */
export async function enqueueSync(
  db: Database,
  input: { organizationId: string; accountId: string; trigger: SyncRun["trigger"] },
): Promise<SyncRun> {
  const [created] = await db
    .insert(syncRuns)
    .values({ ...input, status: "queued" })
    .onConflictDoNothing()
    .returning();
  if (created) return created;
  const [open] = await db
    .select()
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.organizationId, input.organizationId),
        eq(syncRuns.accountId, input.accountId),
        inArray(syncRuns.status, ["queued", "running"]),
      ),
    );
  if (!open) throw new Error(`no open sync for account ${input.accountId} after a conflict`);
  return open;
}

/**
 * Claims the oldest queued sync with FOR UPDATE SKIP LOCKED, so several workers (one embedded
 * process or many replicas on PostgreSQL) never run the same job twice.
 */
export async function claimNextSync(db: Database): Promise<SyncRun | undefined> {
  const next = db
    .select({ id: syncRuns.id })
    .from(syncRuns)
    .where(eq(syncRuns.status, "queued"))
    .orderBy(asc(syncRuns.createdAt))
    .limit(1)
    .for("update", { skipLocked: true });
  const [claimed] = await db
    .update(syncRuns)
    .set({ status: "running", startedAt: new Date() })
    .where(and(inArray(syncRuns.id, next), eq(syncRuns.status, "queued")))
    .returning();
  return claimed;
}

/**
 * Queues a scheduled sync for every online, enabled account whose time has come, and moves its
 * next time on by its interval. Offline (demo) accounts are never scheduled.
 */
export async function enqueueDueSyncs(db: Database, now: Date = new Date()): Promise<number> {
  const due = await db
    .update(cloudAccounts)
    .set({
      nextSyncAt: sql`${now.toISOString()}::timestamptz + make_interval(secs => ${cloudAccounts.syncIntervalSeconds})`,
    })
    .where(
      and(
        eq(cloudAccounts.offline, false),
        inArray(cloudAccounts.status, ["active", "partial", "error"]),
        isNotNull(cloudAccounts.nextSyncAt),
        lte(cloudAccounts.nextSyncAt, now),
      ),
    )
    .returning({ id: cloudAccounts.id, organizationId: cloudAccounts.organizationId });
  for (const account of due) {
    await enqueueSync(db, {
      organizationId: account.organizationId,
      accountId: account.id,
      trigger: "schedule",
    });
  }
  return due.length;
}
