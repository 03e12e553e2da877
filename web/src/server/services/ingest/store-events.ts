import { events } from "@ringfence/db";
import type { EventsReceipt } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { EnforcerContext } from "../enforcers/runtime.ts";

/**
 * Stores a batch of decision events from one enforcer, each event id once: a batch resent after
 * a lost answer or a 429 adds nothing twice. While too many batches are being written the batch
 * is refused with 429 and Retry-After; nothing of it is stored, so the resend is complete.
 */
export async function storeEvents({
  ctx,
  input,
}: ServiceCall<EnforcerContext, { events: DecisionEvent[] }>): Promise<EventsReceipt> {
  refuseForeignEvents(ctx, input.events);
  const { ingestGate, settings } = ctx.enforcement;
  const release = ingestGate.tryEnter(input.events.length);
  if (release === undefined) {
    throw new AppError("rate_limited", "The control plane is busy storing events; retry later.", {
      headers: { "retry-after": String(settings.retryAfterSeconds) },
    });
  }

  try {
    const rows = input.events.map((event) => rowOf(ctx.enforcer.organizationId, event));
    const stored = await ctx.db
      .insert(events)
      .values(rows)
      .onConflictDoNothing()
      .returning({ id: events.id });
    return { accepted: stored.length, duplicates: input.events.length - stored.length };
  } finally {
    release();
  }
}

/** An enforcer reports its own decisions only; events claiming another enforcer are refused. */
function refuseForeignEvents(ctx: EnforcerContext, batch: readonly DecisionEvent[]) {
  const index = batch.findIndex((event) => event.enforcer.id !== ctx.enforcer.id);
  if (index >= 0) {
    throw new AppError("invalid_request", "Events must name the enforcer that sends them.", {
      fields: [
        {
          location: "body",
          path: `events[${index}].enforcer.id`,
          message: `expected ${ctx.enforcer.id}`,
        },
      ],
    });
  }
}

function rowOf(organizationId: string, event: DecisionEvent): typeof events.$inferInsert {
  return {
    organizationId,
    id: event.id,
    time: new Date(event.time),
    enforcerId: event.enforcer.id,
    kind: event.kind,
    action: event.action,
    srcIp: event.src.ip,
    dstHost: event.dst.host ?? null,
    dstPort: event.dst.port,
    ruleId: event.reasons.ruleId ?? null,
    payload: event as unknown as Record<string, unknown>,
  };
}
