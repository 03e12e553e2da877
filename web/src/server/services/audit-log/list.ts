import { auditLog } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { decodeCursor, type PageInput, toPage } from "../../http/pagination.ts";

/** The organisation's audit trail, newest first. */
export async function listAuditLog({ ctx, input }: ServiceCall<OrgContext, PageInput>) {
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.organizationId, ctx.organizationId),
        after ? lt(auditLog.id, after) : undefined,
      ),
    )
    .orderBy(desc(auditLog.id))
    .limit(input.limit + 1);

  const items = rows.map((row) => ({
    id: row.id,
    actorType: row.actorType,
    actorId: row.actorId,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    requestId: row.requestId,
    details: row.details,
    createdAt: row.createdAt.toISOString(),
  }));
  return toPage(items, input.limit);
}
