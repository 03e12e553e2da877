import { invitations, memberships, organizations, users } from "@ringfence/db";
import { and, eq, gt, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { isUniqueViolation } from "../../db-errors.ts";
import { AppError } from "../../errors.ts";
import { sha256 } from "../../tokens.ts";
import { type OrganizationDto, presentOrganization } from "../orgs/present.ts";

/**
 * Joins the signed-in user to the organisation of a pending invitation. The user's email must be
 * the invited one, so a forwarded or leaked token cannot admit somebody else.
 */
export async function acceptInvitation({
  ctx,
  input,
}: ServiceCall<ServiceContext, { token: string }>): Promise<OrganizationDto> {
  try {
    return await ctx.db.transaction(async (tx) => {
      const [invitation] = await tx
        .select()
        .from(invitations)
        .where(
          and(
            eq(invitations.tokenHash, sha256(input.token)),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            gt(invitations.expiresAt, new Date()),
          ),
        )
        .for("update");
      if (!invitation)
        throw new AppError("not_found", "The invitation is unknown or no longer valid.");

      const [user] = await tx.select().from(users).where(eq(users.id, ctx.actor.id));
      if (user?.email !== invitation.email) {
        throw new AppError("forbidden", "This invitation was sent to another email address.");
      }
      const orgId = invitation.organizationId;
      const [membership] = await tx
        .insert(memberships)
        .values({ organizationId: orgId, userId: user.id, role: invitation.role })
        .returning();
      await tx
        .update(invitations)
        .set({ acceptedAt: new Date() })
        .where(and(eq(invitations.organizationId, orgId), eq(invitations.id, invitation.id)));

      await recordAudit(tx, ctx, {
        organizationId: orgId,
        action: "invitation.accept",
        targetType: "member",
        targetId: membership?.id ?? user.id,
        details: { invitationId: invitation.id, role: invitation.role },
      });
      const [org] = await tx.select().from(organizations).where(eq(organizations.id, orgId));
      if (!org) throw new Error("an invitation points at a missing organisation");
      return presentOrganization(org, invitation.role);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new AppError("conflict", "You are already a member of this organisation.", {
      cause: error,
    });
  }
}
