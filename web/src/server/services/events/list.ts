import { z } from "@hono/zod-openapi";
import { events } from "@ringfence/db";
import { and, desc, eq, gte, lt, or, sql } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { decodeCursor, encodeCursor } from "../../http/pagination.ts";

/** Filters of the events list; each narrows by an indexed column. */
export const EventsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(512).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  action: z.enum(["allow", "deny", "monitor"]).optional(),
  kind: z.enum(["connection", "request", "detection"]).optional(),
  ruleId: z.string().min(1).max(200).optional(),
  srcIp: z.union([z.ipv4(), z.ipv6()]).optional(),
  enforcerId: z.string().min(1).max(200).optional(),
  /** Exact destination host, any case, a trailing dot ignored (`API.example.com.`). */
  dstHost: z
    .string()
    .trim()
    .min(1)
    .max(253)
    .regex(/^[A-Za-z0-9_.:[\]-]+$/, "must be a host name or address, without a port or path")
    .transform(normalHost)
    .optional(),
  /** Events with at least one detection of this category (`waf`, `dlp`, …). */
  category: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9][\w.:-]*$/, "must be a detection category such as waf or dlp")
    .optional(),
});
export type EventsInput = z.infer<typeof EventsQuery>;

/** How hosts compare: lower case, without the trailing dot of a fully qualified name. */
function normalHost(host: string): string {
  return host.toLowerCase().replace(/\.+$/, "");
}

/** The position after which the next page starts: the last row's time and id. */
function positionOf(cursor: string | undefined): { time: Date; id: string } | undefined {
  const value = decodeCursor(cursor);
  if (value === undefined) return undefined;
  const [time, id] = value.split("|");
  const date = new Date(time ?? "");
  if (!id || Number.isNaN(date.getTime())) {
    throw new AppError("invalid_request", "The cursor is not one this API issued.", {
      fields: [{ location: "query", path: "cursor", message: "Invalid cursor" }],
    });
  }
  return { time: date, id };
}

/** A stored event as the API lists it; `event` is the decision with its reasons. */
export function presentEvent(row: typeof events.$inferSelect) {
  return {
    id: row.id,
    time: row.time.toISOString(),
    enforcerId: row.enforcerId,
    kind: row.kind,
    action: row.action,
    srcIp: row.srcIp,
    dstHost: row.dstHost,
    dstPort: row.dstPort,
    ruleId: row.ruleId,
    receivedAt: row.receivedAt.toISOString(),
    event: row.payload,
  };
}

/** Events newest first (by event time, then id), filtered, with a (time, id) cursor. */
export async function listEvents({ ctx, input }: ServiceCall<OrgContext, EventsInput>) {
  const after = positionOf(input.cursor);
  const rows = await ctx.db
    .select()
    .from(events)
    .where(
      and(
        eq(events.organizationId, ctx.organizationId),
        input.from ? gte(events.time, new Date(input.from)) : undefined,
        input.to ? lt(events.time, new Date(input.to)) : undefined,
        input.action ? eq(events.action, input.action) : undefined,
        input.kind ? eq(events.kind, input.kind) : undefined,
        input.ruleId ? eq(events.ruleId, input.ruleId) : undefined,
        input.srcIp ? sql`${events.srcIp} = ${input.srcIp}::inet` : undefined,
        input.enforcerId ? eq(events.enforcerId, input.enforcerId) : undefined,
        // Both expressions match the indexes of migration 0014 so the planner can use them.
        input.dstHost
          ? sql`lower(rtrim(${events.dstHost}, '.')) = ${input.dstHost} AND ${events.dstHost} IS NOT NULL`
          : undefined,
        input.category
          ? sql`(${events.payload} -> 'detections') @> ${JSON.stringify([{ category: input.category }])}::jsonb`
          : undefined,
        after
          ? or(
              lt(events.time, after.time),
              and(eq(events.time, after.time), lt(events.id, after.id)),
            )
          : undefined,
      ),
    )
    .orderBy(desc(events.time), desc(events.id))
    .limit(input.limit + 1);
  const items = rows.slice(0, input.limit).map(presentEvent);
  const last = items.at(-1);
  const nextCursor =
    rows.length > input.limit && last ? encodeCursor(`${last.time}|${last.id}`) : null;
  return { items, nextCursor };
}
