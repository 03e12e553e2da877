import { bundles } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type BundleDto, presentBundle } from "./present.ts";

/** The organisation's bundles, newest first. */
export async function listBundles({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<BundleDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(bundles)
    .where(
      and(
        eq(bundles.organizationId, ctx.organizationId),
        after === undefined ? undefined : lt(bundles.id, after),
      ),
    )
    .orderBy(desc(bundles.id))
    .limit(input.limit + 1);
  const page = toPage(rows, input.limit);
  return { items: page.items.map(presentBundle), nextCursor: page.nextCursor };
}
