import { enforcers } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { latestBundle } from "../bundles/store.ts";
import { type EnforcerDto, presentEnforcer } from "./present.ts";

/** The organisation's enforcers, newest first, with the version each enforces and drift. */
export async function listEnforcers({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput>): Promise<Page<EnforcerDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(enforcers)
    .where(
      and(
        eq(enforcers.organizationId, ctx.organizationId),
        after === undefined ? undefined : lt(enforcers.id, after),
      ),
    )
    .orderBy(desc(enforcers.id))
    .limit(input.limit + 1);
  const latest = (await latestBundle(ctx.db, ctx.organizationId))?.version ?? null;
  const page = toPage(rows, input.limit);
  return {
    items: page.items.map((row) => presentEnforcer(row, latest)),
    nextCursor: page.nextCursor,
  };
}
