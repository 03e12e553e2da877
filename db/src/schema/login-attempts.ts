import { integer, pgTable, text } from "drizzle-orm/pg-core";
import { timestampColumn, timestamps } from "./columns.ts";

/**
 * Fixed-window counters for sign-in attempts, keyed `account:<email>` or `source:<address>`.
 * Kept in the database so every replica of the control plane counts against the same limit.
 */
export const loginAttemptBuckets = pgTable("login_attempt_buckets", {
  key: text("key").primaryKey(),
  windowStartedAt: timestampColumn("window_started_at").notNull(),
  attempts: integer("attempts").notNull(),
  ...timestamps(),
});

export type LoginAttemptBucket = typeof loginAttemptBuckets.$inferSelect;
