import { UNUSABLE_PASSWORD_HASH, users, verifyPassword } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { consumeLoginAttempt } from "../login-attempts/consume.ts";
import { resetLoginAttempts } from "../login-attempts/reset.ts";
import { beginSession, type SignInOutcome } from "../mfa/begin-session.ts";
import { assertPasswordSignInAllowed } from "../sso/require.ts";
import { normalizeEmail, presentUser, type UserDto } from "./present.ts";

export interface SignInInput {
  email: string;
  password: string;
  /** The client's address, for the per-source limit. */
  source: string;
}

/**
 * Checks the password and starts a session, or, for a user with a second factor, a challenge
 * that `completeChallenge` turns into a session once the code is given. Attempts are limited
 * per account and per source before the password is even looked at, and an unknown email costs
 * the same scrypt time as a wrong password, so neither guessing nor timing tells which accounts
 * exist.
 */
export async function signIn({
  ctx,
  input,
}: ServiceCall<RequestContext, SignInInput>): Promise<{ user: UserDto; outcome: SignInOutcome }> {
  const email = normalizeEmail(input.email);
  const accountKey = `account:${email}`;
  await enforceLimit(ctx, `source:${input.source}`, ctx.config.login.maxPerSource);
  await enforceLimit(ctx, accountKey, ctx.config.login.maxPerAccount);

  const [user] = await ctx.db.select().from(users).where(eq(users.email, email));
  const matches = await verifyPassword(
    input.password,
    user?.passwordHash ?? UNUSABLE_PASSWORD_HASH,
  );
  if (!user || !matches)
    throw new AppError("invalid_credentials", "The email or password is wrong.");
  await assertPasswordSignInAllowed(ctx, user.id);

  await resetLoginAttempts({ ctx, input: { key: accountKey } });
  const outcome = await beginSession({ ctx, input: { userId: user.id, method: "password" } });
  return { user: presentUser(user), outcome };
}

async function enforceLimit(ctx: RequestContext, key: string, limit: number): Promise<void> {
  const { windowSeconds } = ctx.config.login;
  const result = await consumeLoginAttempt({ ctx, input: { key, limit, windowSeconds } });
  if (result.allowed) return;
  throw new AppError("rate_limited", "Too many sign-in attempts; wait before trying again.", {
    headers: { "Retry-After": String(result.retryAfterSeconds) },
  });
}
