import { auditLog, type Database, events } from "@ringfence/db";
import { and, eq, inArray, sql } from "@ringfence/db/orm";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { apiActivityOf, type OcsfEvent, ocsfEventsOf } from "@ringfence/engine/ocsf";
import type { ClaimedDelivery } from "./claim.ts";
import type { IntegrationRow } from "./tables.ts";

/** The OCSF events owed for each delivery; a delivery whose source row is gone maps to null. */
export type DeliveryItems = Map<number, OcsfEvent[] | null>;

/** Whether an OCSF event passes an integration's class and severity filters. */
export function matchesFilter(integration: IntegrationRow, event: OcsfEvent): boolean {
  const classOk = integration.classes.length === 0 || integration.classes.includes(event.class_uid);
  return classOk && event.severity_id >= integration.minSeverity;
}

/** Decision events by id, read through the key (organisation, time, id) the table is keyed on. */
async function loadEvents(db: Database, organizationId: string, claimed: ClaimedDelivery[]) {
  const keys = claimed.filter((d) => d.eventId !== null && d.eventTime !== null);
  if (keys.length === 0) return new Map<string, DecisionEvent>();
  const tuples = sql.join(
    keys.map((d) => sql`(${d.eventTime?.toISOString()}::timestamptz, ${d.eventId}::uuid)`),
    sql`, `,
  );
  const rows = await db
    .select({ id: events.id, payload: events.payload })
    .from(events)
    .where(
      and(
        eq(events.organizationId, organizationId),
        sql`(${events.time}, ${events.id}) IN (${tuples})`,
      ),
    );
  // The payload is the decision event exactly as ingestion validated and stored it.
  return new Map(rows.map((row) => [row.id, row.payload as unknown as DecisionEvent]));
}

async function loadAudit(db: Database, organizationId: string, claimed: ClaimedDelivery[]) {
  const ids = claimed.flatMap((d) => (d.auditId === null ? [] : [d.auditId]));
  if (ids.length === 0) return new Map<string, typeof auditLog.$inferSelect>();
  const rows = await db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.organizationId, organizationId), inArray(auditLog.id, ids)));
  return new Map(rows.map((row) => [row.id, row]));
}

/** Builds the filtered OCSF events of every claimed delivery of one integration. */
export async function loadItems(
  db: Database,
  integration: IntegrationRow,
  claimed: ClaimedDelivery[],
  productVersion: string,
): Promise<DeliveryItems> {
  const decisions = await loadEvents(db, integration.organizationId, claimed);
  const audits = await loadAudit(db, integration.organizationId, claimed);
  const items: DeliveryItems = new Map();
  for (const delivery of claimed) {
    const decision = delivery.eventId === null ? undefined : decisions.get(delivery.eventId);
    const audit = delivery.auditId === null ? undefined : audits.get(delivery.auditId);
    const ocsf = decision
      ? ocsfEventsOf(decision, { productVersion })
      : audit
        ? [apiActivityOf(audit, productVersion)]
        : null;
    items.set(
      delivery.id,
      ocsf === null ? null : ocsf.filter((e) => matchesFilter(integration, e)),
    );
  }
  return items;
}
