import { type Database, inventoryAssets } from "@ringfence/db";
import { asc, eq } from "@ringfence/db/orm";
import type { Asset, Inventory } from "@ringfence/engine/documents";

/**
 * The organisation's current inventory as the engine's canonical document, in a stable order
 * (by stored id) so that compiling it twice gives the same bundle.
 */
// FIXME(deploy): this reads every asset of the organisation per compile or preview; at 100k
// assets a cached, membership-indexed inventory (kept by the sync) would remove the full read.
export async function loadInventory(db: Database, organizationId: string): Promise<Inventory> {
  const rows = await db
    .select({ document: inventoryAssets.document })
    .from(inventoryAssets)
    .where(eq(inventoryAssets.organizationId, organizationId))
    .orderBy(asc(inventoryAssets.id));
  return { schemaVersion: 1, assets: rows.map((row) => row.document as Asset) };
}
