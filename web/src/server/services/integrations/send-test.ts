import { apiActivityOf } from "@ringfence/engine/ocsf";
import type { ServiceCall } from "../../context.ts";
import { attempt } from "../outbox/deliver.ts";
import { logAttempt } from "../outbox/settle.ts";
import type { ReportContext } from "./present.ts";
import { findIntegration } from "./read.ts";

/** What the receiver made of the test event. */
export interface TestSendResult {
  ok: boolean;
  /** `delivered`, `failed` (the receiver refused or could not be reached) or `blocked` (guard). */
  outcome: "delivered" | "failed" | "blocked";
  statusCode: number | null;
  error: string | null;
  durationMs: number;
  /** The test event's `metadata.uid`, to find it at the receiver. */
  eventUid: string;
}

/**
 * Sends one API Activity event (`integration.test`) to the integration now, through the same
 * guard, signature and transport as real deliveries, and answers what the receiver said. It
 * bypasses the queue, the filters and the enabled flag on purpose: it is how an admin checks a
 * target before relying on it. The attempt goes into the delivery log like any other.
 */
export async function sendTestEvent({
  ctx,
  input,
}: ServiceCall<ReportContext, { integrationId: string }>): Promise<TestSendResult> {
  const integration = await findIntegration(ctx, input.integrationId);
  const eventUid = `test_${crypto.randomUUID()}`;
  const event = apiActivityOf(
    {
      id: eventUid,
      organizationId: ctx.organizationId,
      actorType: ctx.actor.type,
      actorId: ctx.actor.id,
      action: "integration.test",
      targetType: "integration",
      targetId: integration.id,
      requestId: ctx.requestId,
      createdAt: new Date(),
    },
    ctx.report.productVersion,
  );

  const started = performance.now();
  const batch = { events: [event], deliveryIds: [], messageId: `msg_${eventUid}` };
  const result = await attempt(ctx.db, integration, batch, ctx.report);
  const durationMs = Math.round(performance.now() - started);
  const outcome = result.ok ? "delivered" : result.outcome === "blocked" ? "blocked" : "failed";

  await logAttempt(ctx.db, integration, {
    items: 1,
    outcome,
    ...(result.statusCode === undefined ? {} : { statusCode: result.statusCode }),
    ...(result.error === undefined ? {} : { error: result.error }),
    durationMs,
  });
  const { ok, statusCode = null, error = null } = result;
  return { ok, outcome, statusCode, error, durationMs, eventUid };
}
