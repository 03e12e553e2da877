import { mfaChallenges, users } from "@ringfence/db";
import { and, eq, gt } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { sha256 } from "../../tokens.ts";
import { createSession } from "../auth/create-session.ts";
import { presentUser, type UserDto } from "../auth/present.ts";
import type { WithMfa } from "./runtime.ts";
import { type SecondFactorProof, verifySecondFactor } from "./verify-factor.ts";

export interface CompleteChallengeInput {
  challengeToken: string | undefined;
  proof: SecondFactorProof;
}

/**
 * The second step of a sign-in: the challenge from `beginSession` plus a TOTP code or a recovery
 * code gives the session. The challenge is spent only on success, so a mistyped code can be
 * retried until the attempt limit or the challenge's expiry.
 */
export async function completeChallenge({
  ctx,
  input,
}: ServiceCall<WithMfa<RequestContext>, CompleteChallengeInput>): Promise<{
  user: UserDto;
  token: string;
}> {
  const tokenHash = sha256(input.challengeToken ?? "");
  const [challenge] = await ctx.db
    .select()
    .from(mfaChallenges)
    .where(and(eq(mfaChallenges.tokenHash, tokenHash), gt(mfaChallenges.expiresAt, new Date())));
  if (!input.challengeToken || !challenge) {
    throw new AppError("mfa_required", "No sign-in is waiting for a second factor; sign in again.");
  }

  await verifySecondFactor(ctx, challenge.userId, input.proof);
  return ctx.db.transaction(async (tx) => {
    const [spent] = await tx
      .delete(mfaChallenges)
      .where(eq(mfaChallenges.id, challenge.id))
      .returning({ id: mfaChallenges.id });
    if (!spent) throw new AppError("mfa_required", "This sign-in was already completed.");

    const [user] = await tx.select().from(users).where(eq(users.id, challenge.userId));
    if (!user) throw new AppError("mfa_required", "The account no longer exists.");
    const input = {
      userId: user.id,
      method: challenge.firstFactor,
      ssoOrganizationId: challenge.ssoOrganizationId ?? undefined,
    };
    const { token } = await createSession({ ctx: { ...ctx, db: tx }, input });
    return { user: presentUser(user), token };
  });
}
