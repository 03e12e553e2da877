import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { users } from "./users.ts";

/**
 * A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a copy of this table
 * cannot be replayed as cookies. Sessions belong to a user, not an organisation.
 */
export const sessions = pgTable(
  "sessions",
  {
    id: idColumn(ID_PREFIXES.session),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    expiresAt: timestampColumn("expires_at").notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("sessions_token_hash_key").on(table.tokenHash),
    index("sessions_user_idx").on(table.userId),
  ],
);

export type Session = typeof sessions.$inferSelect;
