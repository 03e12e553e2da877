import { recoveryCodes, totpFactors } from "@ringfence/db";
import { and, eq, isNotNull, isNull, lt, or } from "@ringfence/db/orm";
import type { RequestContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { consumeLoginAttempt } from "../login-attempts/consume.ts";
import { resetLoginAttempts } from "../login-attempts/reset.ts";
import { hashRecoveryCode } from "./recovery.ts";
import type { WithMfa } from "./runtime.ts";
import { openTotpSecret } from "./sealed-secret.ts";
import { matchTotpStep } from "./totp.ts";

/** What a person offers as their second factor. */
export type SecondFactorProof = { code: string } | { recoveryCode: string };

/** Which factor a proof turned out to be, for the session's record and the log. */
export type ProofMethod = "totp" | "recovery_code";

const WRONG = "The code is wrong, expired or already used.";

/**
 * Checks a user's second factor: a TOTP code of their confirmed factor (or, with `enrolment`, of
 * the factor being enrolled), or an unused recovery code, which this spends. Every attempt counts
 * against the per-user limit before anything is compared; success clears the count. A TOTP step
 * is claimed with one conditional update, so of two requests with the same code on different
 * replicas only one succeeds.
 */
export async function verifySecondFactor(
  ctx: WithMfa<RequestContext>,
  userId: string,
  proof: SecondFactorProof,
  options: { enrolment?: boolean } = {},
): Promise<ProofMethod> {
  await enforceAttemptLimit(ctx, userId);

  const method = "code" in proof ? "totp" : "recovery_code";
  const accepted =
    "code" in proof
      ? await claimTotpStep(ctx, userId, proof.code, options.enrolment === true)
      : !options.enrolment && (await spendRecoveryCode(ctx, userId, proof.recoveryCode));
  if (!accepted) throw new AppError("invalid_second_factor", WRONG);

  await resetAttempts(ctx, userId);
  return method;
}

async function claimTotpStep(
  ctx: WithMfa<RequestContext>,
  userId: string,
  code: string,
  enrolment: boolean,
): Promise<boolean> {
  const state = enrolment ? isNull(totpFactors.confirmedAt) : isNotNull(totpFactors.confirmedAt);
  const [factor] = await ctx.db
    .select()
    .from(totpFactors)
    .where(and(eq(totpFactors.userId, userId), state));
  if (!factor) return false;

  const secret = await openTotpSecret(ctx.mfa.keyring, factor.secretSealed, factor.id, ctx.db);
  const step = matchTotpStep(secret, code.trim(), ctx.mfa.now(), factor.lastUsedStep);
  if (step === undefined) return false;

  const [claimed] = await ctx.db
    .update(totpFactors)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(totpFactors.id, factor.id),
        or(isNull(totpFactors.lastUsedStep), lt(totpFactors.lastUsedStep, step)),
      ),
    )
    .returning({ id: totpFactors.id });
  return claimed !== undefined;
}

async function spendRecoveryCode(
  ctx: WithMfa<RequestContext>,
  userId: string,
  typed: string,
): Promise<boolean> {
  const [spent] = await ctx.db
    .update(recoveryCodes)
    .set({ usedAt: new Date(ctx.mfa.now()) })
    .where(
      and(
        eq(recoveryCodes.userId, userId),
        eq(recoveryCodes.codeHash, hashRecoveryCode(typed)),
        isNull(recoveryCodes.usedAt),
      ),
    )
    .returning({ id: recoveryCodes.id });
  return spent !== undefined;
}

/** Counts one attempt at re-proving `userId` (code or password); 429 past the limit. */
export async function enforceAttemptLimit(ctx: RequestContext, userId: string): Promise<void> {
  const key = `mfa:${userId}`;
  const limit = ctx.config.mfa.maxAttempts;
  const { windowSeconds } = ctx.config.login;
  const result = await consumeLoginAttempt({ ctx, input: { key, limit, windowSeconds } });
  if (result.allowed) return;
  throw new AppError("rate_limited", "Too many second-factor attempts; wait before trying again.", {
    headers: { "Retry-After": String(result.retryAfterSeconds) },
  });
}

/** Clears the user's attempt count after a success. */
export async function resetAttempts(ctx: RequestContext, userId: string): Promise<void> {
  await resetLoginAttempts({ ctx, input: { key: `mfa:${userId}` } });
}
