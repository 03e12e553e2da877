import { dataKeys } from "@ringfence/db";
import { desc, eq } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { type DataKeyDto, presentDataKey } from "./present-data-key.ts";
import { valuesPerDataKey } from "./reencrypt.ts";

/**
 * The organisation's data keys, live and retired, newest first, with how many stored values
 * each still seals: a retired key at zero has been fully re-encrypted away.
 */
export async function listDataKeys({
  ctx,
}: ServiceCall<OrgContext, Record<string, never>>): Promise<{ items: DataKeyDto[] }> {
  const rows = await ctx.db
    .select()
    .from(dataKeys)
    .where(eq(dataKeys.organizationId, ctx.organizationId))
    .orderBy(desc(dataKeys.id));
  const counts = await valuesPerDataKey(ctx.db, ctx.organizationId);
  return { items: rows.map((row) => presentDataKey(row, counts.get(row.id) ?? 0)) };
}
