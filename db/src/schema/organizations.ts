import { boolean, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestamps } from "./columns.ts";

/** A customer: the tenant boundary. Every row of customer data points here. */
export const organizations = pgTable(
  "organizations",
  {
    id: idColumn(ID_PREFIXES.organization),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** Members must have a second factor before anything else in this organisation. */
    requireMfa: boolean("require_mfa").notNull().default(false),
    ...timestamps(),
  },
  (table) => [uniqueIndex("organizations_slug_key").on(table.slug)],
);

/**
 * The tenant column for customer data. Deleting an organisation removes its data with it, so no
 * row can outlive its tenant and be read back under a reused id.
 */
export function organizationIdColumn() {
  return text("organization_id")
    .notNull()
    .references(() => organizations.id, { onDelete: "cascade" });
}

export type Organization = typeof organizations.$inferSelect;
