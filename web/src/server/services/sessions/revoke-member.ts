import { memberships, sessions } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";

/**
 * An admin signs a member out everywhere (a lost laptop, a departure). Sessions belong to the
 * person, so every session of theirs ends, whichever organisation they were using. Only an
 * owner may sign out an owner, as with every other change to an owner.
 */
export async function revokeMemberSessions({
  ctx,
  input,
}: ServiceCall<OrgContext, { memberId: string }>) {
  return ctx.db.transaction(async (tx) => {
    const [member] = await tx
      .select({ userId: memberships.userId, role: memberships.role })
      .from(memberships)
      .where(
        and(eq(memberships.organizationId, ctx.organizationId), eq(memberships.id, input.memberId)),
      );
    if (!member)
      throw new AppError("not_found", `No member ${input.memberId} in this organisation.`);
    if (member.role === "owner" && ctx.role !== "owner") {
      throw new AppError("forbidden", "Only an owner may sign out an owner.");
    }

    const ended = await tx
      .delete(sessions)
      .where(eq(sessions.userId, member.userId))
      .returning({ id: sessions.id });
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "member.sessions_revoke",
      targetType: "member",
      targetId: input.memberId,
      details: { revoked: ended.length },
    });
    return { revoked: ended.length };
  });
}
