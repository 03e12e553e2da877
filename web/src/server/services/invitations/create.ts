import { invitations, type Role } from "@ringfence/db";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { randomToken, sha256 } from "../../tokens.ts";
import { normalizeEmail } from "../auth/present.ts";
import { INVITATION_TTL_MS, type InvitationDto, presentInvitation } from "./present.ts";

/**
 * Invites an email address with a role and returns the token to send them, once. Sending the
 * email is the caller's business; the control plane has no mail server.
 */
export async function createInvitation({
  ctx,
  input,
}: ServiceCall<OrgContext, { email: string; role: Role }>): Promise<{
  invitation: InvitationDto;
  token: string;
}> {
  if (input.role === "owner" && ctx.role !== "owner") {
    throw new AppError("forbidden", "Only an owner may invite another owner.");
  }
  const token = randomToken();

  return ctx.db.transaction(async (tx) => {
    const [invitation] = await tx
      .insert(invitations)
      .values({
        organizationId: ctx.organizationId,
        email: normalizeEmail(input.email),
        role: input.role,
        tokenHash: sha256(token),
        invitedBy: ctx.actor.type === "user" ? ctx.actor.id : null,
        expiresAt: new Date(Date.now() + INVITATION_TTL_MS),
      })
      .returning();
    if (!invitation) throw new Error("insert into invitations returned no row");

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "invitation.create",
      targetType: "invitation",
      targetId: invitation.id,
      details: { email: invitation.email, role: invitation.role },
    });
    return { invitation: presentInvitation(invitation), token };
  });
}
