import { sessions } from "@ringfence/db";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { randomToken, sha256 } from "../../tokens.ts";

/** Starts a session and returns the token for the cookie; only its hash is stored. */
export async function createSession({
  ctx,
  input,
}: ServiceCall<RequestContext, { userId: string }>): Promise<{ token: string }> {
  const token = randomToken();
  await ctx.db.insert(sessions).values({
    userId: input.userId,
    tokenHash: sha256(token),
    expiresAt: new Date(Date.now() + ctx.config.sessionTtlSeconds * 1000),
  });
  return { token };
}
