import { memberships } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { loadMemberForChange } from "./guard.ts";

/** Removes a member from the organisation (their account stays). */
export async function removeMember({
  ctx,
  input,
}: ServiceCall<OrgContext, { memberId: string }>): Promise<void> {
  await ctx.db.transaction(async (tx) => {
    const { membership, user } = await loadMemberForChange(tx, ctx, input.memberId, undefined);
    await tx
      .delete(memberships)
      .where(
        and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.id, membership.id)),
      );
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "member.remove",
      targetType: "member",
      targetId: membership.id,
      details: { email: user.email, role: membership.role },
    });
  });
}
