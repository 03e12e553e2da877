import { type Database, inventoryAssets, syncRuns } from "@ringfence/db";
import { and, eq, inArray, sql } from "@ringfence/db/orm";
import type { Asset } from "@ringfence/engine/documents";
import { diffInventory, type InventoryDiff, type KnownAsset } from "../diff.ts";
import { assetScope, type DiscoveryResult } from "../types.ts";

/** Rows per INSERT: 8 bound columns each keeps a batch far below PostgreSQL's 65,535 limit. */
const BATCH = 1000;

/** What one applied sync changed, for the sync record, the API and the benchmark. */
export interface AppliedSync {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  /** Inventory rows inserted, updated or deleted: the unchanged ones are never written. */
  rowsWritten: number;
  /** Cloud ids by change, as stored on the sync run. */
  diff: { added: string[]; changed: string[]; removed: string[] };
}

/** Where the result belongs. */
export interface ApplyTarget {
  organizationId: string;
  accountId: string;
}

async function knownAssets(db: Database, target: ApplyTarget): Promise<KnownAsset[]> {
  return db
    .select({
      cloudId: inventoryAssets.cloudId,
      hash: inventoryAssets.hash,
      scope: inventoryAssets.scope,
    })
    .from(inventoryAssets)
    .where(
      and(
        eq(inventoryAssets.organizationId, target.organizationId),
        eq(inventoryAssets.accountId, target.accountId),
      ),
    );
}

function row(target: ApplyTarget, asset: Asset, hash: string) {
  return {
    organizationId: target.organizationId,
    accountId: target.accountId,
    cloudId: asset.id,
    kind: asset.kind,
    region: asset.region,
    scope: assetScope(asset),
    hash,
    document: asset,
  };
}

/**
 * Diffs a connector's result against the stored inventory and writes only the difference in one
 * transaction: new and changed assets upserted by (organisation, account, cloud id), removed
 * ones deleted at once so they leave every address object on the next compilation.
 */
export async function applyDiscovery(
  db: Database,
  target: ApplyTarget,
  result: Pick<DiscoveryResult, "assets" | "scopes">,
): Promise<AppliedSync> {
  const diff = diffInventory(await knownAssets(db, target), result.assets, result.scopes);
  await db.transaction(async (tx) => {
    await upsert(tx as unknown as Database, target, diff);
    for (let start = 0; start < diff.removed.length; start += BATCH) {
      const ids = diff.removed.slice(start, start + BATCH);
      await tx
        .delete(inventoryAssets)
        .where(
          and(
            eq(inventoryAssets.organizationId, target.organizationId),
            eq(inventoryAssets.accountId, target.accountId),
            inArray(inventoryAssets.cloudId, ids),
          ),
        );
    }
  });
  return summarise(diff);
}

async function upsert(db: Database, target: ApplyTarget, diff: InventoryDiff) {
  const writes = [...diff.added, ...diff.changed];
  for (let start = 0; start < writes.length; start += BATCH) {
    const rows = writes.slice(start, start + BATCH).map((w) => row(target, w.asset, w.hash));
    await db
      .insert(inventoryAssets)
      .values(rows)
      .onConflictDoUpdate({
        target: [
          inventoryAssets.organizationId,
          inventoryAssets.accountId,
          inventoryAssets.cloudId,
        ],
        set: {
          kind: sql`excluded.kind`,
          region: sql`excluded.region`,
          scope: sql`excluded.scope`,
          hash: sql`excluded.hash`,
          document: sql`excluded.document`,
          updatedAt: sql`now()`,
        },
      });
  }
}

function summarise(diff: InventoryDiff): AppliedSync {
  const added = diff.added.map((entry) => entry.asset.id);
  const changed = diff.changed.map((entry) => entry.asset.id);
  return {
    added: added.length,
    changed: changed.length,
    removed: diff.removed.length,
    unchanged: diff.unchanged,
    rowsWritten: added.length + changed.length + diff.removed.length,
    diff: { added, changed, removed: diff.removed },
  };
}

export { syncRuns };
