import type { Database } from "@ringfence/db";
import { auditLog } from "@ringfence/db";
import type { Actor } from "./context.ts";

/** One change, described for the audit log. `details` must never hold secrets. */
export interface AuditEntry {
  organizationId: string;
  action: string;
  targetType: string;
  targetId: string;
  details?: Record<string, unknown>;
}

/**
 * Writes the audit row. Call it with the transaction that makes the change, so the row commits or
 * rolls back with it.
 */
export async function recordAudit(
  tx: Database,
  ctx: { actor: Actor; requestId: string },
  entry: AuditEntry,
): Promise<void> {
  await tx.insert(auditLog).values({
    organizationId: entry.organizationId,
    actorType: ctx.actor.type,
    actorId: ctx.actor.id,
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    requestId: ctx.requestId,
    details: entry.details ?? {},
  });
}
