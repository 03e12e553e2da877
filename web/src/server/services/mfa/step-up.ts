import { UNUSABLE_PASSWORD_HASH, users, verifyPassword } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { hasConfirmedFactor } from "./factor.ts";
import type { WithMfa } from "./runtime.ts";
import { recordVerification } from "./verification.ts";
import {
  enforceAttemptLimit,
  resetAttempts,
  type SecondFactorProof,
  verifySecondFactor,
} from "./verify-factor.ts";

export type StepUpProof = SecondFactorProof | { password: string };

/**
 * Re-proves the signed-in user for sensitive actions. A user with a second factor proves it with
 * a code (the password alone would let a stolen session plus a phished password through); a user
 * without one re-enters the password. The session may then act for the configured window.
 */
export async function stepUp({
  ctx,
  input,
}: ServiceCall<WithMfa<ServiceContext>, { sessionId: string; proof: StepUpProof }>): Promise<{
  verifiedAt: string;
  validUntil: string;
}> {
  const userId = ctx.actor.id;
  const withFactor = await hasConfirmedFactor(ctx, userId);
  const { proof } = input;

  let method: "totp" | "recovery_code" | "password";
  if ("password" in proof) {
    if (withFactor) {
      throw new AppError("invalid_request", "This account has a second factor; send a code.", {
        fields: [{ location: "body", path: "password", message: "Send code or recoveryCode" }],
      });
    }
    await checkPassword(ctx, userId, proof.password);
    method = "password";
  } else {
    method = await verifySecondFactor(ctx, userId, proof);
  }

  const verifiedAt = await recordVerification(ctx, input.sessionId, method);
  const validUntil = new Date(verifiedAt.getTime() + ctx.config.mfa.stepUpSeconds * 1000);
  return { verifiedAt: verifiedAt.toISOString(), validUntil: validUntil.toISOString() };
}

/** The password check of step-up and of disabling MFA, limited like sign-in attempts. */
export async function checkPassword(
  ctx: WithMfa<ServiceContext>,
  userId: string,
  password: string,
): Promise<void> {
  await enforceAttemptLimit(ctx, userId);
  const [user] = await ctx.db
    .select({ passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (user && user.passwordHash === null) {
    throw new AppError(
      "invalid_request",
      "This account has no password; confirm it is you with your identity provider instead.",
      { fields: [{ location: "body", path: "password", message: "The account has no password" }] },
    );
  }
  const matches = await verifyPassword(password, user?.passwordHash ?? UNUSABLE_PASSWORD_HASH);
  if (!matches) throw new AppError("invalid_credentials", "The password is wrong.");
  await resetAttempts(ctx, userId);
}
