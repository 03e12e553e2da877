import { z } from "@hono/zod-openapi";
import { AppError } from "../../errors.ts";

/** The time window of an analytics query: `from`/`to` (default the last 24 hours), bucketed. */
export const WindowQuery = z.strictObject({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  bucket: z.enum(["hour", "day"]).default("hour"),
  limit: z.coerce.number().int().min(1).max(100).default(10),
});
export type WindowInput = z.infer<typeof WindowQuery>;

/** A top list's window, optionally only the denied decisions (`action=deny`). */
export const TopEndpointsQuery = WindowQuery.extend({
  action: z
    .enum(["deny"], { message: "only `deny` narrows a top list; omit it for all decisions" })
    .optional(),
});
export type TopEndpointsInput = z.infer<typeof TopEndpointsQuery>;

const MAX_WINDOW_DAYS = 400;

/** The window as dates; `from` after `to`, or a window over 400 days, is an invalid request. */
export function windowOf(input: WindowInput): { from: Date; to: Date } {
  const to = input.to ? new Date(input.to) : new Date();
  const from = input.from ? new Date(input.from) : new Date(to.getTime() - 86_400_000);
  if (from >= to) {
    throw new AppError("invalid_request", "`from` must be before `to`.", {
      fields: [{ location: "query", path: "from", message: "must be before to" }],
    });
  }
  if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * 86_400_000) {
    throw new AppError("invalid_request", `A window spans at most ${MAX_WINDOW_DAYS} days.`, {
      fields: [{ location: "query", path: "from", message: "window too long" }],
    });
  }
  return { from, to };
}

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Hours [lo, hi) of one UTC day (starting at `day`) that a window covers only in part. */
export interface PartialDay {
  day: number;
  lo: number;
  hi: number;
}

/**
 * The hours a window covers, as the hourly rollups count them (from the hour holding `from` up
 * to the end of the hour holding `to`), split into whole UTC days [days[0], days[1]) and the
 * partial days at either edge. Times are epoch milliseconds.
 */
export function splitWindow(from: Date, to: Date) {
  const firstHour = Math.floor(from.getTime() / HOUR_MS) * HOUR_MS;
  const endHour = Math.ceil(to.getTime() / HOUR_MS) * HOUR_MS;
  const firstDay = Math.ceil(firstHour / DAY_MS) * DAY_MS;
  const endDay = Math.floor(endHour / DAY_MS) * DAY_MS;
  if (firstDay > endDay) {
    const day = endDay;
    return { days: null, edges: [{ day, lo: firstHour, hi: endHour }] };
  }

  const edges: PartialDay[] = [];
  if (firstHour < firstDay) edges.push({ day: firstDay - DAY_MS, lo: firstHour, hi: firstDay });
  if (endDay < endHour) edges.push({ day: endDay, lo: endDay, hi: endHour });
  return { days: firstDay < endDay ? ([firstDay, endDay] as const) : null, edges };
}

/** One signed term of a window's sum: rows of the daily or hourly rollup in [lo, hi). */
export interface RollupTerm {
  grain: "day" | "hour";
  lo: number;
  hi: number;
  sign: 1 | -1;
}

/**
 * The cheaper exact way to count a partial day: its covered hours from the hourly rollup, or
 * the whole day from the daily rollup minus the hourly rows of the hours it does not cover.
 * `occupied` (the first and last hour of that day holding events) only prices the two: empty
 * hours cost nothing to read, so "the last 7 days until now" reads today as one daily row per
 * endpoint. The terms themselves span the full ranges, so they stay exact even if events
 * arrived in other hours since `occupied` was read.
 */
export function termsOfPartialDay(
  edge: PartialDay,
  occupied?: { first: number; last: number },
): RollupTerm[] {
  const direct: RollupTerm[] = [{ grain: "hour", lo: edge.lo, hi: edge.hi, sign: 1 }];
  if (!occupied) return direct;

  const end = occupied.last + HOUR_MS;
  const hours = (lo: number, hi: number) => Math.max(0, (hi - lo) / HOUR_MS);
  const coveredCost = hours(Math.max(edge.lo, occupied.first), Math.min(edge.hi, end));
  const restCost =
    hours(Math.max(edge.day, occupied.first), Math.min(edge.lo, end)) +
    hours(Math.max(edge.hi, occupied.first), Math.min(edge.day + DAY_MS, end));
  if (restCost >= coveredCost) return direct;

  const terms: RollupTerm[] = [{ grain: "day", lo: edge.day, hi: edge.day + DAY_MS, sign: 1 }];
  if (edge.day < edge.lo) terms.push({ grain: "hour", lo: edge.day, hi: edge.lo, sign: -1 });
  if (edge.hi < edge.day + DAY_MS) {
    terms.push({ grain: "hour", lo: edge.hi, hi: edge.day + DAY_MS, sign: -1 });
  }
  return terms;
}
