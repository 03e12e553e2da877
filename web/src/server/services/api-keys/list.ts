import { apiKeys } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type ApiKeyDto, presentApiKey } from "./present.ts";

/** The organisation's keys, revoked ones included, newest first. */
export async function listApiKeys({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<ApiKeyDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.organizationId, ctx.organizationId),
        after ? lt(apiKeys.id, after) : undefined,
      ),
    )
    .orderBy(desc(apiKeys.id))
    .limit(input.limit + 1);
  return toPage(rows.map(presentApiKey), input.limit);
}
