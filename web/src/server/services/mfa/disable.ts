import {
  memberships,
  organizations,
  recoveryCodes,
  sessions,
  sessionVerifications,
  totpFactors,
  users,
} from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hasConfirmedFactor } from "./factor.ts";
import type { WithMfa } from "./runtime.ts";
import { checkPassword } from "./step-up.ts";
import { type SecondFactorProof, verifySecondFactor } from "./verify-factor.ts";

export interface DisableInput {
  sessionId: string;
  /** The first factor of an account that has a password; absent for one created by SSO. */
  password?: string;
  proof: SecondFactorProof;
}

/**
 * Removes the user's second factor and recovery codes. It asks for both factors, whatever the
 * session's age, because it lowers the account's protection: the password and a code, or, for
 * an account single sign-on created (no password), a code and a login at the identity provider
 * within the step-up window. It is refused while an organisation of the user requires MFA,
 * naming it.
 */
export async function disableTotp({
  ctx,
  input,
}: ServiceCall<WithMfa<ServiceContext>, DisableInput>): Promise<void> {
  const userId = ctx.actor.id;
  if (!(await hasConfirmedFactor(ctx, userId))) {
    throw new AppError("conflict", "No second factor is active.");
  }
  if (input.password !== undefined) await checkPassword(ctx, userId, input.password);
  else await requireFreshProviderLogin(ctx, userId, input.sessionId);
  await verifySecondFactor(ctx, userId, input.proof);

  const [requiring] = await ctx.db
    .select({ name: organizations.name })
    .from(memberships)
    .innerJoin(organizations, eq(organizations.id, memberships.organizationId))
    .where(and(eq(memberships.userId, userId), eq(organizations.requireMfa, true)))
    .limit(1);
  if (requiring) {
    throw new AppError("conflict", `${requiring.name} requires MFA of its members; keep it.`);
  }

  await ctx.db.transaction(async (tx) => {
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await tx.delete(totpFactors).where(eq(totpFactors.userId, userId));
  });
}

/**
 * The first factor of an account without a password: this session logged in at the identity
 * provider (a sign-in through SSO, or an SSO step-up) within the step-up window. The provider's
 * step-up is closed to people with a second factor, so for them that is a fresh SSO sign-in.
 */
async function requireFreshProviderLogin(
  ctx: WithMfa<ServiceContext>,
  userId: string,
  sessionId: string,
): Promise<void> {
  const [row] = await ctx.db
    .select({
      passwordHash: users.passwordHash,
      method: sessions.method,
      startedAt: sessions.createdAt,
      verifiedBy: sessionVerifications.method,
      verifiedAt: sessionVerifications.verifiedAt,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .leftJoin(sessionVerifications, eq(sessionVerifications.sessionId, sessions.id))
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId)));
  if (!row || row.passwordHash !== null) {
    throw new AppError("invalid_request", "Send your password with the code.", {
      fields: [{ location: "body", path: "password", message: "Required for this account" }],
    });
  }
  const windowMs = ctx.config.mfa.stepUpSeconds * 1000;
  const recent = (at: Date | null) => at !== null && ctx.mfa.now() - at.getTime() <= windowMs;
  const byProvider =
    (row.method === "sso" && recent(row.startedAt)) ||
    (row.verifiedBy === "sso" && recent(row.verifiedAt));
  if (!byProvider) {
    const minutes = Math.round(ctx.config.mfa.stepUpSeconds / 60);
    throw new AppError(
      "step_up_required",
      `Your account has no password: sign in again through your identity provider, then turn the second factor off within ${minutes} minutes.`,
    );
  }
}
