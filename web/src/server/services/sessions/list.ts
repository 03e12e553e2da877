import { type Session, sessions } from "@ringfence/db";
import { and, desc, eq, gt } from "@ringfence/db/orm";
import type { ServerConfig } from "../../config.ts";
import type { ServiceCall, ServiceContext } from "../../context.ts";

/** A session as its owner sees it: never the token or its hash. */
export function presentSession(row: Session, config: ServerConfig, currentId: string) {
  const idleEnd = new Date(row.lastSeenAt.getTime() + config.sessionIdleSeconds * 1000);
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    expiresAt: (idleEnd < row.expiresAt ? idleEnd : row.expiresAt).toISOString(),
    absoluteExpiresAt: row.expiresAt.toISOString(),
    ipAddress: row.ipAddress,
    userAgent: row.userAgent,
    method: row.method,
    current: row.id === currentId,
  };
}

/** The signed-in user's live sessions, most recently used first. */
export async function listSessions({
  ctx,
  input,
}: ServiceCall<ServiceContext, { currentSessionId: string }>) {
  const now = new Date();
  const idleSince = new Date(now.getTime() - ctx.config.sessionIdleSeconds * 1000);
  const rows = await ctx.db
    .select()
    .from(sessions)
    .where(
      and(
        eq(sessions.userId, ctx.actor.id),
        gt(sessions.expiresAt, now),
        gt(sessions.lastSeenAt, idleSince),
      ),
    )
    .orderBy(desc(sessions.lastSeenAt), desc(sessions.id));
  return { items: rows.map((row) => presentSession(row, ctx.config, input.currentSessionId)) };
}
