import { type SessionMethod, sessions } from "@ringfence/db";
import { and, eq, lt, or } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";

export interface CreateSessionInput {
  userId: string;
  /** How the user proved who they are; password unless said otherwise. */
  method?: SessionMethod;
  /** The organisation whose identity provider signed the user in (SSO sessions). */
  ssoOrganizationId?: string;
}

/**
 * Starts a session and returns the token for the cookie; only its hash is stored. The absolute
 * end is fixed now; the client's address and user agent are kept for the session list. The
 * user's ended sessions (absolute or idle) are deleted here, so rows never pile up.
 */
export async function createSession({
  ctx,
  input,
}: ServiceCall<RequestContext, CreateSessionInput>): Promise<{ token: string }> {
  const now = Date.now();
  const idleSince = new Date(now - ctx.config.sessionIdleSeconds * 1000);
  await ctx.db
    .delete(sessions)
    .where(
      and(
        eq(sessions.userId, input.userId),
        or(lt(sessions.expiresAt, new Date(now)), lt(sessions.lastSeenAt, idleSince)),
      ),
    );

  const token = randomToken();
  await ctx.db.insert(sessions).values({
    userId: input.userId,
    tokenHash: sha256(token),
    expiresAt: new Date(now + ctx.config.sessionTtlSeconds * 1000),
    ipAddress: ctx.client?.address ?? null,
    userAgent: ctx.client?.userAgent?.slice(0, 512) ?? null,
    method: input.method ?? "password",
    ssoOrganizationId: input.ssoOrganizationId ?? null,
  });
  return { token };
}
