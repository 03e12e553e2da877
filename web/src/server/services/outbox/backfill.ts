import { z } from "@hono/zod-openapi";
import { sql } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { ReportContext } from "../integrations/present.ts";
import { findIntegration } from "../integrations/read.ts";
import { queryRows } from "./sql.ts";

/** The window of stored events to send to an integration that did not exist when they came. */
export const BackfillBody = z.strictObject({
  from: z.iso.datetime({ offset: true }),
  to: z.iso.datetime({ offset: true }).optional(),
});

/** The widest window one request may backfill; a longer history takes several requests. */
const MAX_DAYS = 31;
/** The most deliveries one request queues, so a backfill cannot swamp the outbox at once. */
export const MAX_BACKFILL = 1_000_000;

function windowOf(input: z.infer<typeof BackfillBody>): { from: Date; to: Date } {
  const from = new Date(input.from);
  const to = input.to ? new Date(input.to) : new Date();
  const fields = (message: string) => ({ fields: [{ location: "body", path: "from", message }] });
  if (from >= to) {
    throw new AppError("invalid_request", "`from` must be before `to`.", fields("after to"));
  }
  if (to.getTime() - from.getTime() > MAX_DAYS * 86_400_000) {
    const message = `A backfill spans at most ${MAX_DAYS} days; split it.`;
    throw new AppError("invalid_request", message, fields("window too long"));
  }
  return { from, to };
}

/**
 * Queues the stored events of a window for one integration. New integrations receive only
 * events accepted after they exist (the outbox fans out at ingestion); this is the explicit
 * "send me history too" action. An event already owed or delivered to the integration is not
 * queued again, so repeating a backfill is harmless. Filters (class, severity) apply at delivery
 * as for live events.
 */
export async function backfillDeliveries({
  ctx,
  input,
}: ServiceCall<ReportContext, z.infer<typeof BackfillBody> & { integrationId: string }>) {
  const integration = await findIntegration(ctx, input.integrationId);
  if (!integration.enabled) {
    throw new AppError("conflict", "The integration is disabled; enable it before a backfill.");
  }
  const { from, to } = windowOf(input);
  return ctx.db.transaction(async (tx) => {
    const [row] = await queryRows<{ queued: number }>(
      tx,
      sql`
        WITH queued AS (
          INSERT INTO outbox_deliveries
            (organization_id, integration_id, source, event_id, event_time)
          SELECT e.organization_id, ${integration.id}, 'event', e.id, e."time"
          FROM events e
          WHERE e.organization_id = ${ctx.organizationId}
            AND e."time" >= ${from.toISOString()}::timestamptz
            AND e."time" < ${to.toISOString()}::timestamptz
            AND NOT EXISTS (
              SELECT 1 FROM outbox_deliveries d
              WHERE d.organization_id = e.organization_id
                AND d.integration_id = ${integration.id}
                AND d.event_id = e.id
            )
          ORDER BY e."time"
          LIMIT ${MAX_BACKFILL}
          RETURNING 1
        )
        SELECT count(*)::int AS queued FROM queued
      `,
    );
    const queued = row?.queued ?? 0;
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "integration.backfill",
      targetType: "integration",
      targetId: integration.id,
      details: { from: from.toISOString(), to: to.toISOString(), queued },
    });
    return { queued, capped: queued === MAX_BACKFILL };
  });
}
