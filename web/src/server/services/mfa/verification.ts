import { sessions, sessionVerifications } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { RequestContext } from "../../context.ts";
import type { WithMfa } from "./runtime.ts";

/** How a session re-proved its user. */
export type VerificationMethod = "totp" | "recovery_code" | "password" | "sso";

/** Records that the session's user has just proven themselves again, for step-up. */
export async function recordVerification(
  ctx: WithMfa<RequestContext>,
  sessionId: string,
  method: VerificationMethod,
): Promise<Date> {
  const verifiedAt = new Date(ctx.mfa.now());
  await ctx.db
    .insert(sessionVerifications)
    .values({ sessionId, verifiedAt, method })
    .onConflictDoUpdate({ target: sessionVerifications.sessionId, set: { verifiedAt, method } });
  return verifiedAt;
}

/**
 * When the session last proved its user: the latest re-verification, else its start (a sign-in
 * is a proof too). Undefined for a session that no longer exists.
 */
export async function lastVerifiedAt(
  ctx: RequestContext,
  sessionId: string,
): Promise<Date | undefined> {
  const [row] = await ctx.db
    .select({ startedAt: sessions.createdAt, verifiedAt: sessionVerifications.verifiedAt })
    .from(sessions)
    .leftJoin(sessionVerifications, eq(sessionVerifications.sessionId, sessions.id))
    .where(eq(sessions.id, sessionId));
  if (!row) return undefined;
  const { startedAt, verifiedAt } = row;
  return verifiedAt !== null && verifiedAt > startedAt ? verifiedAt : startedAt;
}
