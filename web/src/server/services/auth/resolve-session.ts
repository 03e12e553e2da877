import { sessions } from "@ringfence/db";
import { and, eq, gt } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";

/**
 * Last-seen times are written at most this often, so a busy session costs one write a minute
 * rather than one per request; the idle timeout is therefore exact to within this much.
 */
export const LAST_SEEN_GRANULARITY_MS = 60_000;

/**
 * The live session a cookie token names, or undefined for unknown tokens and for sessions past
 * their absolute end or idle for longer than the idle timeout. A revoked session's row is gone,
 * so revocation takes effect at the next request.
 */
export async function resolveSession({
  ctx,
  input,
}: ServiceCall<RequestContext, { token: string }>): Promise<
  { sessionId: string; userId: string } | undefined
> {
  const now = new Date();
  const idleSince = new Date(now.getTime() - ctx.config.sessionIdleSeconds * 1000);
  const [session] = await ctx.db
    .select({ sessionId: sessions.id, userId: sessions.userId, lastSeenAt: sessions.lastSeenAt })
    .from(sessions)
    .where(
      and(
        eq(sessions.tokenHash, sha256(input.token)),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, idleSince),
      ),
    );
  if (!session) return undefined;

  if (now.getTime() - session.lastSeenAt.getTime() >= LAST_SEEN_GRANULARITY_MS) {
    await ctx.db
      .update(sessions)
      .set({ lastSeenAt: now })
      .where(eq(sessions.id, session.sessionId));
  }
  return { sessionId: session.sessionId, userId: session.userId };
}
