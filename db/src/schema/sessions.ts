import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { users } from "./users.ts";

/** How a session was started. */
export const SESSION_METHODS = ["password", "sso"] as const;
export type SessionMethod = (typeof SESSION_METHODS)[number];

/**
 * A signed-in browser. Only the SHA-256 of the cookie's token is stored, so a copy of this table
 * cannot be replayed as cookies. Sessions belong to a user, not an organisation. `expires_at` is
 * the absolute end; the idle end is `last_seen_at` plus the configured idle timeout.
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
    lastSeenAt: timestampColumn("last_seen_at").notNull().defaultNow(),
    /** The client's address and user agent when the session started, for the session list. */
    ipAddress: text("ip_address"),
    userAgent: text("user_agent"),
    method: text("method", { enum: SESSION_METHODS }).notNull().default("password"),
    /** The organisation whose identity provider signed this session in, for SSO sessions. */
    ssoOrganizationId: text("sso_organization_id").references(() => organizations.id, {
      onDelete: "set null",
    }),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("sessions_token_hash_key").on(table.tokenHash),
    index("sessions_user_idx").on(table.userId),
  ],
);

export type Session = typeof sessions.$inferSelect;
