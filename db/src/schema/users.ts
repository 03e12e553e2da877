import { pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestamps } from "./columns.ts";

/**
 * A person who signs in. Users are global (one account, several organisations), so this table has
 * no organisation column; what a user may see is decided by `memberships`.
 */
export const users = pgTable(
  "users",
  {
    id: idColumn(ID_PREFIXES.user),
    /** Stored lower-cased and trimmed, so uniqueness is case-insensitive. */
    email: text("email").notNull(),
    name: text("name").notNull(),
    /**
     * `scrypt$N$r$p$salt$hash`, see password.ts; null for a person who has no password (signed up
     * through single sign-on), so the console offers them only what works for them.
     */
    passwordHash: text("password_hash"),
    ...timestamps(),
  },
  (table) => [uniqueIndex("users_email_key").on(table.email)],
);

export type User = typeof users.$inferSelect;
