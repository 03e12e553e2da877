import { index, pgEnum, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestamps } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";
import { users } from "./users.ts";

/** Roles from least to most powerful; the server's permission table is keyed by these. */
export const ROLES = ["viewer", "editor", "admin", "owner"] as const;
export type Role = (typeof ROLES)[number];

export const roleEnum = pgEnum("role", ROLES);

/** A user's role in one organisation. */
export const memberships = pgTable(
  "memberships",
  {
    id: idColumn(ID_PREFIXES.membership),
    organizationId: organizationIdColumn(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    role: roleEnum("role").notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("memberships_organization_user_key").on(table.organizationId, table.userId),
    index("memberships_user_idx").on(table.userId),
  ],
);

export type Membership = typeof memberships.$inferSelect;
