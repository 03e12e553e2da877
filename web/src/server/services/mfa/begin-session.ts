import { mfaChallenges } from "@ringfence/db";
import { and, eq, lt } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";
import { type CreateSessionInput, createSession } from "../auth/create-session.ts";
import { hasConfirmedFactor } from "./factor.ts";

/** How long a sign-in may wait for its second factor. */
export const CHALLENGE_TTL_SECONDS = 5 * 60;

/** A finished sign-in (a session token) or one pending its second factor (a challenge token). */
export type SignInOutcome =
  | { kind: "session"; token: string }
  | { kind: "mfa_required"; challengeToken: string };

/**
 * The one door from a proven first factor to a session, for password sign-in and SSO alike:
 * call it where `createSession` would be called, with the same input. A user with a confirmed
 * second factor gets a challenge instead of a session: a short-lived token that buys nothing
 * but the second step (`completeChallenge`), which then starts the session described here.
 * Everyone else gets the session at once.
 */
export async function beginSession({
  ctx,
  input,
}: ServiceCall<RequestContext, CreateSessionInput>): Promise<SignInOutcome> {
  if (!(await hasConfirmedFactor(ctx, input.userId))) {
    const { token } = await createSession({ ctx, input });
    return { kind: "session", token };
  }

  // Challenges nobody finished are of no use once expired; each sign-in clears its user's.
  await ctx.db
    .delete(mfaChallenges)
    .where(and(eq(mfaChallenges.userId, input.userId), lt(mfaChallenges.expiresAt, new Date())));
  const challengeToken = randomToken();
  await ctx.db.insert(mfaChallenges).values({
    userId: input.userId,
    tokenHash: sha256(challengeToken),
    firstFactor: input.method ?? "password",
    ssoOrganizationId: input.ssoOrganizationId ?? null,
    expiresAt: new Date(Date.now() + CHALLENGE_TTL_SECONDS * 1000),
  });
  return { kind: "mfa_required", challengeToken };
}
