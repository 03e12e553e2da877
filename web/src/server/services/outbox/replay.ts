import { and, desc, eq, inArray, lt, sql } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { decodeCursor, type PageInput, toPage } from "../../http/pagination.ts";
import type { ReportContext } from "../integrations/present.ts";
import { findIntegration } from "../integrations/read.ts";
import { type DeliveryState, outboxAttempts, outboxDeliveries } from "./tables.ts";

/**
 * Puts an integration's dead-lettered deliveries (all, or the given ids) back in the queue with a
 * fresh horizon: the horizon is measured from `created_at`, which is reset to now.
 */
export async function replayDeliveries({
  ctx,
  input,
}: ServiceCall<ReportContext, { integrationId: string; ids?: number[] | undefined }>) {
  await findIntegration(ctx, input.integrationId);
  return ctx.db.transaction(async (tx) => {
    const replayed = await tx
      .update(outboxDeliveries)
      .set({ state: "pending", nextAttemptAt: sql`now()`, createdAt: sql`now()`, attempts: 0 })
      .where(
        and(
          eq(outboxDeliveries.organizationId, ctx.organizationId),
          eq(outboxDeliveries.integrationId, input.integrationId),
          eq(outboxDeliveries.state, "dead"),
          input.ids ? inArray(outboxDeliveries.id, input.ids) : undefined,
        ),
      )
      .returning({ id: outboxDeliveries.id });
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "integration.replay",
      targetType: "integration",
      targetId: input.integrationId,
      details: { deliveries: replayed.length },
    });
    return { replayed: replayed.length };
  });
}

/** The integration's deliveries in one state, newest first, with cursor pagination. */
export async function listDeliveries({
  ctx,
  input,
}: ServiceCall<ReportContext, PageInput & { integrationId: string; state: DeliveryState }>) {
  await findIntegration(ctx, input.integrationId);
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(outboxDeliveries)
    .where(
      and(
        eq(outboxDeliveries.organizationId, ctx.organizationId),
        eq(outboxDeliveries.integrationId, input.integrationId),
        eq(outboxDeliveries.state, input.state),
        after ? lt(outboxDeliveries.id, Number(after)) : undefined,
      ),
    )
    .orderBy(desc(outboxDeliveries.id))
    .limit(input.limit + 1);
  const items = rows.map((row) => ({
    id: row.id,
    source: row.source,
    eventId: row.eventId,
    auditId: row.auditId,
    state: row.state,
    attempts: row.attempts,
    lastError: row.lastError,
    nextAttemptAt: row.nextAttemptAt.toISOString(),
    createdAt: row.createdAt.toISOString(),
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  }));
  return toPage(items, input.limit);
}

/** The delivery log: one line per attempt, newest first. */
export async function listAttempts({
  ctx,
  input,
}: ServiceCall<ReportContext, PageInput & { integrationId: string }>) {
  await findIntegration(ctx, input.integrationId);
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(outboxAttempts)
    .where(
      and(
        eq(outboxAttempts.organizationId, ctx.organizationId),
        eq(outboxAttempts.integrationId, input.integrationId),
        after ? lt(outboxAttempts.id, Number(after)) : undefined,
      ),
    )
    .orderBy(desc(outboxAttempts.id))
    .limit(input.limit + 1);
  const items = rows.map((row) => ({
    id: row.id,
    items: row.items,
    outcome: row.outcome,
    statusCode: row.statusCode,
    error: row.error,
    durationMs: row.durationMs,
    createdAt: row.createdAt.toISOString(),
  }));
  return toPage(items, input.limit);
}
