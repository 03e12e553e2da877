import { invitations } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type InvitationDto, presentInvitation } from "./present.ts";

/** Withdraws a pending invitation; its token stops working. */
export async function revokeInvitation({
  ctx,
  input,
}: ServiceCall<OrgContext, { invitationId: string }>): Promise<InvitationDto> {
  return ctx.db.transaction(async (tx) => {
    const inOrg = and(
      eq(invitations.organizationId, ctx.organizationId),
      eq(invitations.id, input.invitationId),
    );
    const [revoked] = await tx
      .update(invitations)
      .set({ revokedAt: new Date() })
      .where(and(inOrg, isNull(invitations.revokedAt), isNull(invitations.acceptedAt)))
      .returning();
    if (revoked) {
      await recordAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "invitation.revoke",
        targetType: "invitation",
        targetId: revoked.id,
      });
      return presentInvitation(revoked);
    }

    const [existing] = await tx.select().from(invitations).where(inOrg);
    if (!existing) {
      throw new AppError("not_found", `No invitation ${input.invitationId} in this organisation.`);
    }
    return presentInvitation(existing);
  });
}
