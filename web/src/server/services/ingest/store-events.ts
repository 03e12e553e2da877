import type { EventsReceipt } from "@ringfence/engine/control";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { EnforcerContext } from "../enforcers/runtime.ts";
import { eventWriterFor } from "./writer.ts";

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
    // Concurrent batches share statements (group commit); see EventWriter.
    const writer = eventWriterFor(ctx.db);
    const accepted = await writer.write(ctx.enforcer.organizationId, input.events);
    return { accepted, duplicates: input.events.length - accepted };
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
