import { events } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { ENGINE_VERSION } from "@ringfence/engine";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { ocsfEventsOf } from "@ringfence/engine/ocsf";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { presentEvent } from "./list.ts";

/** One event by id with its reasons, and the OCSF events it is exported as. */
export async function getEvent({ ctx, input }: ServiceCall<OrgContext, { eventId: string }>) {
  const [row] = await ctx.db
    .select()
    .from(events)
    .where(and(eq(events.organizationId, ctx.organizationId), eq(events.id, input.eventId)))
    .limit(1);
  if (!row) throw new AppError("not_found", "No such event.");
  const decision = row.payload as unknown as DecisionEvent;
  return {
    ...presentEvent(row),
    reasons: decision.reasons,
    detections: decision.detections ?? [],
    ocsf: ocsfEventsOf(decision, { productVersion: ENGINE_VERSION }),
  };
}
