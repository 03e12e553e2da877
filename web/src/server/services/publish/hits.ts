import { events } from "@ringfence/db";
import { and, count, desc, eq, gte, isNotNull, max, min } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";

/** How often one rule decided, by action, and when first and last. */
export interface RuleHits {
  ruleId: string;
  action: string;
  hits: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

/**
 * Rule hit counters, counted from the decision events enforcers reported (the events table the
 * ingestion service fills), optionally only since a time. Monitor rules count under the action
 * the event recorded.
 */
// FIXME(deploy): a GROUP BY over raw events grows with event volume; counters updated at
// ingestion (owned by Enforcement's store-events) would make this a read of one row per rule.
export async function ruleHits({
  ctx,
  input,
}: ServiceCall<OrgContext, { since?: Date | undefined }>): Promise<{ items: RuleHits[] }> {
  const rows = await ctx.db
    .select({
      ruleId: events.ruleId,
      action: events.action,
      hits: count(),
      firstSeen: min(events.time),
      lastSeen: max(events.time),
    })
    .from(events)
    .where(
      and(
        eq(events.organizationId, ctx.organizationId),
        isNotNull(events.ruleId),
        input.since === undefined ? undefined : gte(events.time, input.since),
      ),
    )
    .groupBy(events.ruleId, events.action)
    .orderBy(desc(count()), events.ruleId);
  const items = rows.map((row) => ({
    ruleId: row.ruleId ?? "",
    action: row.action,
    hits: Number(row.hits),
    firstSeen: row.firstSeen ? new Date(row.firstSeen).toISOString() : null,
    lastSeen: row.lastSeen ? new Date(row.lastSeen).toISOString() : null,
  }));
  return { items };
}
