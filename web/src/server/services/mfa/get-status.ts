import { organizations, recoveryCodes, sessions, totpFactors, users } from "@ringfence/db";
import { and, count, eq, isNull, sql } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import type { WithMfa } from "./runtime.ts";
import { lastVerifiedAt } from "./verification.ts";

export interface MfaStatusDto {
  totp: "none" | "pending" | "active";
  confirmedAt: string | null;
  recoveryCodesLeft: number;
  /** Until when this session may take sensitive actions without re-proving. */
  stepUpValidUntil: string | null;
  /** Whether the user has a password (false after signing up through single sign-on). */
  hasPassword: boolean;
  /**
   * The slug of the organisation whose identity provider signed this session in, when the user
   * may step up there (`GET /auth/sso/start?stepUp=true`): only without a confirmed factor.
   */
  ssoStepUpOrganization: string | null;
}

/** The signed-in user's second factor and this session's step-up state. */
export async function getMfaStatus({
  ctx,
  input,
}: ServiceCall<WithMfa<ServiceContext>, { sessionId: string }>): Promise<MfaStatusDto> {
  const userId = ctx.actor.id;
  const [factor] = await ctx.db
    .select({ confirmedAt: totpFactors.confirmedAt })
    .from(totpFactors)
    .where(eq(totpFactors.userId, userId));
  const [codes] = await ctx.db
    .select({ left: count() })
    .from(recoveryCodes)
    .where(and(eq(recoveryCodes.userId, userId), isNull(recoveryCodes.usedAt)));

  const [user] = await ctx.db
    .select({ hasPassword: sql<boolean>`${users.passwordHash} is not null` })
    .from(users)
    .where(eq(users.id, userId));

  const [sso] = await ctx.db
    .select({ slug: organizations.slug })
    .from(sessions)
    .innerJoin(organizations, eq(organizations.id, sessions.ssoOrganizationId))
    .where(eq(sessions.id, input.sessionId));

  const verifiedAt = await lastVerifiedAt(ctx, input.sessionId);
  const until = verifiedAt && new Date(verifiedAt.getTime() + ctx.config.mfa.stepUpSeconds * 1000);
  return {
    totp: factor === undefined ? "none" : factor.confirmedAt ? "active" : "pending",
    confirmedAt: factor?.confirmedAt?.toISOString() ?? null,
    recoveryCodesLeft: codes?.left ?? 0,
    hasPassword: user?.hasPassword ?? false,
    stepUpValidUntil: until && until.getTime() > ctx.mfa.now() ? until.toISOString() : null,
    ssoStepUpOrganization: factor?.confirmedAt ? null : (sso?.slug ?? null),
  };
}
