import { memberships, type Role } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { loadMemberForChange } from "./guard.ts";
import { type MemberDto, presentMember } from "./present.ts";

/** Changes a member's role. */
export async function updateMemberRole({
  ctx,
  input,
}: ServiceCall<OrgContext, { memberId: string; role: Role }>): Promise<MemberDto> {
  return ctx.db.transaction(async (tx) => {
    const { membership, user } = await loadMemberForChange(tx, ctx, input.memberId, input.role);
    const [updated] = await tx
      .update(memberships)
      .set({ role: input.role })
      .where(
        and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.id, membership.id)),
      )
      .returning();
    if (!updated) throw new Error("the locked membership row vanished during its update");

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "member.update",
      targetType: "member",
      targetId: membership.id,
      details: { from: membership.role, to: input.role },
    });
    return presentMember(updated, user);
  });
}
