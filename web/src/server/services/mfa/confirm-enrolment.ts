import { mfaChallenges, sessions, totpFactors } from "@ringfence/db";
import { and, eq, isNull, ne } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { replaceRecoveryCodes } from "./regenerate-recovery-codes.ts";
import type { WithMfa } from "./runtime.ts";
import { recordVerification } from "./verification.ts";
import { verifySecondFactor } from "./verify-factor.ts";

/**
 * Confirms TOTP enrolment with a first code from the authenticator, which proves it holds the
 * secret. From then on every sign-in asks for a code, so the user's other sessions (started
 * with the password alone) are ended; this one has just proven the factor. Returns the ten
 * recovery codes, shown this once.
 */
export async function confirmTotpEnrolment({
  ctx,
  input,
}: ServiceCall<WithMfa<ServiceContext>, { sessionId: string; code: string }>): Promise<{
  recoveryCodes: string[];
}> {
  const userId = ctx.actor.id;
  const [pending] = await ctx.db
    .select({ id: totpFactors.id })
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), isNull(totpFactors.confirmedAt)));
  if (!pending) throw new AppError("conflict", "No TOTP enrolment is in progress; start one.");

  await verifySecondFactor(ctx, userId, { code: input.code }, { enrolment: true });
  const codes = await ctx.db.transaction(async (tx) => {
    await tx
      .update(totpFactors)
      .set({ confirmedAt: new Date(ctx.mfa.now()) })
      .where(eq(totpFactors.id, pending.id));
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, userId), ne(sessions.id, input.sessionId)));
    await tx.delete(mfaChallenges).where(eq(mfaChallenges.userId, userId));
    return replaceRecoveryCodes(tx, userId);
  });

  await recordVerification(ctx, input.sessionId, "totp");
  return { recoveryCodes: codes };
}
