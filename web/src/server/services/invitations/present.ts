import type { Invitation } from "@ringfence/db";

export type InvitationStatus = "pending" | "accepted" | "revoked" | "expired";

function statusOf(invitation: Invitation, now: Date): InvitationStatus {
  if (invitation.acceptedAt) return "accepted";
  if (invitation.revokedAt) return "revoked";
  return invitation.expiresAt <= now ? "expired" : "pending";
}

export function presentInvitation(invitation: Invitation, now = new Date()) {
  return {
    id: invitation.id,
    email: invitation.email,
    role: invitation.role,
    status: statusOf(invitation, now),
    invitedBy: invitation.invitedBy,
    expiresAt: invitation.expiresAt.toISOString(),
    createdAt: invitation.createdAt.toISOString(),
  };
}

export type InvitationDto = ReturnType<typeof presentInvitation>;

/** How long an invitation can be accepted. */
export const INVITATION_TTL_MS = 7 * 24 * 3600 * 1000;
