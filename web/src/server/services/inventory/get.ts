import { inventoryAssets } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { type Asset, DocumentError, type Policy } from "@ringfence/engine/documents";
import { resolvePolicy } from "@ringfence/engine/policy";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { loadDraft } from "../policy/draft.ts";
import type { InventoryItemDto } from "./list.ts";

/** One asset with the address objects of the organisation's policy that contain it. */
export interface InventoryAssetDto extends InventoryItemDto {
  objects: { id: string; kind: string; description: string | null }[];
}

const prefixesById = (policy: Policy, assets: Asset[]) =>
  new Map(
    resolvePolicy(policy, { schemaVersion: 1, assets }).objects.map((object) => [
      object.id,
      object.prefixes.join(","),
    ]),
  );

/**
 * The address objects an asset belongs to: those whose resolved prefixes change when the
 * inventory holds only this asset instead of nothing. The engine's own resolver decides, so
 * selectors, scopes and groups count exactly as in a bundle. An asset without addresses (a VPC,
 * a bucket) adds no prefix and so is listed in no object.
 */
function containingObjects(policy: Policy, asset: Asset): InventoryAssetDto["objects"] {
  let withAsset: Map<string, string>;
  let without: Map<string, string>;
  try {
    withAsset = prefixesById(policy, [asset]);
    without = prefixesById(policy, []);
  } catch (error) {
    // A draft that does not compile has no memberships to show; the policy pages name its errors.
    if (error instanceof DocumentError) return [];
    throw error;
  }
  return policy.objects
    .filter((object) => withAsset.get(object.id) !== without.get(object.id))
    .map((object) => ({
      id: object.id,
      kind: object.kind,
      description: object.description ?? null,
    }));
}

/** One inventory asset of the organisation by its stored id, with the objects containing it. */
export async function getInventoryAsset({
  ctx,
  input,
}: ServiceCall<OrgContext, { assetId: string }>): Promise<InventoryAssetDto> {
  const [row] = await ctx.db
    .select()
    .from(inventoryAssets)
    .where(
      and(
        eq(inventoryAssets.organizationId, ctx.organizationId),
        eq(inventoryAssets.id, input.assetId),
      ),
    );
  if (!row) throw new AppError("not_found", "No such asset in this organisation's inventory.");
  const asset = row.document as Asset;
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  return {
    id: row.id,
    accountId: row.accountId,
    asset,
    updatedAt: row.updatedAt.toISOString(),
    objects: containingObjects(policy, asset),
  };
}
