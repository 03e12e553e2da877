import { organizations } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type OrganizationDto, presentOrganization } from "./present.ts";

/** The organisation of the context, with the caller's role in it. */
export async function getOrganization({
  ctx,
}: ServiceCall<OrgContext, Record<string, never>>): Promise<OrganizationDto> {
  const [org] = await ctx.db
    .select()
    .from(organizations)
    .where(eq(organizations.id, ctx.organizationId));
  if (!org) throw new AppError("not_found", `No organisation ${ctx.organizationId}.`);
  return presentOrganization(org, ctx.role);
}
