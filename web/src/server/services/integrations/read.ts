import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { decodeCursor, type PageInput, toPage } from "../../http/pagination.ts";
import { type IntegrationRow, integrations } from "../outbox/tables.ts";
import { presentIntegration, type ReportContext } from "./present.ts";

/** The organisation's integrations, newest first. */
export async function listIntegrations({ ctx, input }: ServiceCall<ReportContext, PageInput>) {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(integrations)
    .where(
      and(
        eq(integrations.organizationId, ctx.organizationId),
        after ? lt(integrations.id, after) : undefined,
      ),
    )
    .orderBy(desc(integrations.id))
    .limit(input.limit + 1);
  return toPage(rows.map(presentIntegration), input.limit);
}

/** One integration row of the organisation; 404 when it is not the organisation's. */
export async function findIntegration(
  ctx: ReportContext,
  integrationId: string,
): Promise<IntegrationRow> {
  const [row] = await ctx.db
    .select()
    .from(integrations)
    .where(
      and(eq(integrations.organizationId, ctx.organizationId), eq(integrations.id, integrationId)),
    );
  if (!row) throw new AppError("not_found", "No such integration.");
  return row;
}

/** One integration as the API shows it. */
export async function getIntegration({
  ctx,
  input,
}: ServiceCall<ReportContext, { integrationId: string }>) {
  return presentIntegration(await findIntegration(ctx, input.integrationId));
}
