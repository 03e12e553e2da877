import { cloudAccounts } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type CloudAccountDto, presentAccount } from "./present.ts";

/** The organisation's cloud accounts, newest first. */
export async function listAccounts({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<CloudAccountDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(cloudAccounts)
    .where(
      and(
        eq(cloudAccounts.organizationId, ctx.organizationId),
        after ? lt(cloudAccounts.id, after) : undefined,
      ),
    )
    .orderBy(desc(cloudAccounts.id))
    .limit(input.limit + 1);
  return toPage(rows.map(presentAccount), input.limit);
}
