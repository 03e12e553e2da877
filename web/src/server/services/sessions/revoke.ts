import { sessions } from "@ringfence/db";
import { and, eq, ne } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";
import { AppError } from "../../errors.ts";

/** Ends one of the user's own sessions; another user's session id answers 404. */
export async function revokeSession({
  ctx,
  input,
}: ServiceCall<ServiceContext, { sessionId: string }>): Promise<void> {
  const ended = await ctx.db
    .delete(sessions)
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, ctx.actor.id)))
    .returning({ id: sessions.id });
  if (ended.length === 0) throw new AppError("not_found", `No session ${input.sessionId}.`);
}

/**
 * Ends every session of the user, or every one but the current when `exceptCurrent` is set
 * ("sign out everywhere else"). Returns how many ended.
 */
export async function revokeAllSessions({
  ctx,
  input,
}: ServiceCall<ServiceContext, { currentSessionId: string; exceptCurrent: boolean }>) {
  const mine = eq(sessions.userId, ctx.actor.id);
  const ended = await ctx.db
    .delete(sessions)
    .where(input.exceptCurrent ? and(mine, ne(sessions.id, input.currentSessionId)) : mine)
    .returning({ id: sessions.id });
  return { revoked: ended.length };
}
