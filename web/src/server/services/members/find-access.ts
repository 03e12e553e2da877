import { memberships, type Role } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";

/** The user's role in the organisation, or undefined when they are not a member. */
export async function findMembershipRole({
  ctx,
  input,
}: ServiceCall<RequestContext, { organizationId: string; userId: string }>): Promise<
  Role | undefined
> {
  const [membership] = await ctx.db
    .select({ role: memberships.role })
    .from(memberships)
    .where(
      and(
        eq(memberships.organizationId, input.organizationId),
        eq(memberships.userId, input.userId),
      ),
    );
  return membership?.role;
}
