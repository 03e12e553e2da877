import { sessions } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { ServiceCall, ServiceContext } from "../../context.ts";

/** Ends the session the request came with; its cookie stops working at once. */
export async function signOut({
  ctx,
  input,
}: ServiceCall<ServiceContext, { sessionId: string }>): Promise<void> {
  await ctx.db
    .delete(sessions)
    .where(and(eq(sessions.id, input.sessionId), eq(sessions.userId, ctx.actor.id)));
}
