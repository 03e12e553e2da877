import { z } from "@hono/zod-openapi";
import { AppError } from "../errors.ts";

/** `?limit=&cursor=` for every list route; routes extend it with their own filters. */
export const PageQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ example: 50 }),
  cursor: z.string().min(1).max(512).optional().openapi({ description: "From `nextCursor`." }),
});

export type PageInput = z.infer<typeof PageQuery>;

/** A page of results, newest first; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

const CursorPayload = z.strictObject({ v: z.literal(1), id: z.string().min(1).max(200) });

/**
 * The id to continue after. Cursors are opaque to clients (base64url JSON) so their content can
 * change; a cursor that does not decode is an invalid `cursor`, not an internal error.
 */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const json: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return CursorPayload.parse(json).id;
  } catch (cause) {
    throw new AppError("invalid_request", "The cursor is not one this API issued.", {
      fields: [{ location: "query", path: "cursor", message: "Invalid cursor" }],
      cause,
    });
  }
}

export function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ v: 1, id }), "utf8").toString("base64url");
}

/**
 * Turns `limit + 1` rows ordered by id descending into a page. Fetching one extra row tells
 * whether another page exists without a count query.
 */
export function toPage<T extends { id: string | number }>(rows: T[], limit: number): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(String(last.id)) : null };
}
