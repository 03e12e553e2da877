import { inventoryAssets } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { Asset } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";

/** One stored asset: the canonical document plus where it came from. */
export interface InventoryItemDto {
  id: string;
  accountId: string;
  asset: Asset;
  updatedAt: string;
}

/** The organisation's current inventory, optionally one account's or one kind's. */
export async function listInventory({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput & { accountId?: string; kind?: string }>): Promise<
  Page<InventoryItemDto>
> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(inventoryAssets)
    .where(
      and(
        eq(inventoryAssets.organizationId, ctx.organizationId),
        input.accountId ? eq(inventoryAssets.accountId, input.accountId) : undefined,
        input.kind ? eq(inventoryAssets.kind, input.kind) : undefined,
        after ? lt(inventoryAssets.id, after) : undefined,
      ),
    )
    .orderBy(desc(inventoryAssets.id))
    .limit(input.limit + 1);
  const items = rows.map((row) => ({
    id: row.id,
    accountId: row.accountId,
    asset: row.document as Asset,
    updatedAt: row.updatedAt.toISOString(),
  }));
  return toPage(items, input.limit);
}
