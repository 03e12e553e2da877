import { memberships, organizations } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { type OrganizationDto, presentOrganization } from "./present.ts";

/** The organisations the acting user belongs to, newest first. */
export async function listMyOrganizations({
  ctx,
  input,
}: ServiceCall<ServiceContext, PageInput>): Promise<Page<OrganizationDto>> {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select({ org: organizations, role: memberships.role })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(
      and(eq(memberships.userId, ctx.actor.id), after ? lt(organizations.id, after) : undefined),
    )
    .orderBy(desc(organizations.id))
    .limit(input.limit + 1);
  return toPage(
    rows.map((row) => presentOrganization(row.org, row.role)),
    input.limit,
  );
}
