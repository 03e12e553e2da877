import { sessions } from "@ringfence/db";
import { and, eq, gt } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";

/** The live session a cookie token names, or undefined for unknown and expired tokens. */
export async function resolveSession({
  ctx,
  input,
}: ServiceCall<RequestContext, { token: string }>): Promise<
  { sessionId: string; userId: string } | undefined
> {
  const [session] = await ctx.db
    .select({ sessionId: sessions.id, userId: sessions.userId })
    .from(sessions)
    .where(and(eq(sessions.tokenHash, sha256(input.token)), gt(sessions.expiresAt, new Date())));
  return session;
}
