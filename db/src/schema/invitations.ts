import { index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { roleEnum } from "./memberships.ts";
import { organizationIdColumn } from "./organizations.ts";
import { users } from "./users.ts";

/** An offer of a role to an email address, accepted with a token shown once at creation. */
export const invitations = pgTable(
  "invitations",
  {
    id: idColumn(ID_PREFIXES.invitation),
    organizationId: organizationIdColumn(),
    email: text("email").notNull(),
    role: roleEnum("role").notNull(),
    tokenHash: text("token_hash").notNull(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestampColumn("expires_at").notNull(),
    acceptedAt: timestampColumn("accepted_at"),
    revokedAt: timestampColumn("revoked_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("invitations_token_hash_key").on(table.tokenHash),
    index("invitations_organization_idx").on(table.organizationId),
  ],
);

export type Invitation = typeof invitations.$inferSelect;
