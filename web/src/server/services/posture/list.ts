import { inventoryAssets } from "@ringfence/db";
import { and, eq, inArray } from "@ringfence/db/orm";
import type { Asset } from "@ringfence/engine/documents";
import type { OrgContext, ServiceCall } from "../../context.ts";
import {
  type GatewayPlacement,
  type PostureFinding,
  postureFindings,
} from "../../discovery/posture/findings.ts";

/** Kinds the posture rules read; the rest of the inventory is not loaded. */
const POSTURE_KINDS = ["bucket", "storage_account", "instance"];

/**
 * Posture findings over the organisation's current inventory, judged against where its gateways
 * are. Computed on read: a finding disappears as soon as a sync sees the fix applied.
 */
export async function listPostureFindings({
  ctx,
  input,
}: ServiceCall<OrgContext, GatewayPlacement>): Promise<{ items: PostureFinding[] }> {
  const rows = await ctx.db
    .select({ document: inventoryAssets.document })
    .from(inventoryAssets)
    .where(
      and(
        eq(inventoryAssets.organizationId, ctx.organizationId),
        inArray(inventoryAssets.kind, POSTURE_KINDS),
      ),
    );
  return {
    items: postureFindings(
      rows.map((row) => row.document as Asset),
      input,
    ),
  };
}
