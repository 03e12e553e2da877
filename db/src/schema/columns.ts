import { text, timestamp } from "drizzle-orm/pg-core";
import { type IdPrefix, newId } from "../ids.ts";

/**
 * Column builders every table uses, so the conventions in db/README.md hold by construction:
 * prefixed text ids, timestamptz with time zone in UTC, and `organization_id` on customer data.
 */

/** The primary key: a prefixed, time-sortable text id generated in the application. */
export function idColumn(prefix: IdPrefix) {
  return text("id")
    .primaryKey()
    .$defaultFn(() => newId(prefix));
}

/** `created_at` and `updated_at`; `updated_at` is refreshed by drizzle on every update. */
export function timestamps() {
  return {
    createdAt: timestamp("created_at", { withTimezone: true, mode: "date" }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true, mode: "date" })
      .notNull()
      .defaultNow()
      .$onUpdateFn(() => new Date()),
  };
}

/** A nullable or required timestamptz column for event times such as `revoked_at`. */
export function timestampColumn(name: string) {
  return timestamp(name, { withTimezone: true, mode: "date" });
}
