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
