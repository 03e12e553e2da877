import { integer, jsonb, pgTable, primaryKey, text } from "drizzle-orm/pg-core";
import { timestamps } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";

/**
 * Policy authoring: each organisation's draft policy and the source of every version it
 * published. The draft is the engine's canonical policy document (`@ringfence/engine/documents`),
 * normalised before it is stored so that exporting it is deterministic. Bundles carry only the
 * resolved form, so the document a version was compiled from is kept here for diffs, rollback
 * and recompilation when the inventory changes.
 */

/**
 * One draft per organisation. `revision` grows by one on every change, so a client can tell
 * whether the draft moved under it and an unchanged apply leaves it as it was.
 */
export const policyDrafts = pgTable("policy_drafts", {
  organizationId: organizationIdColumn().primaryKey(),
  document: jsonb("document").$type<Record<string, unknown>>().notNull(),
  revision: integer("revision").notNull().default(1),
  ...timestamps(),
});

/**
 * The policy document behind each published bundle version, with what changed against the
 * version before it. Keyed by the bundle version, which the bundle service numbers per
 * organisation; `rollback_of` names the version whose content a rollback republished.
 */
export const policyVersions = pgTable(
  "policy_versions",
  {
    organizationId: organizationIdColumn(),
    version: integer("version").notNull(),
    bundleId: text("bundle_id").notNull(),
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
    diff: jsonb("diff").$type<Record<string, unknown>>().notNull(),
    reason: text("reason").notNull(),
    rollbackOf: integer("rollback_of"),
    createdBy: text("created_by"),
    ...timestamps(),
  },
  (table) => [primaryKey({ columns: [table.organizationId, table.version] })],
);

export type PolicyDraftRow = typeof policyDrafts.$inferSelect;
export type PolicyVersionRow = typeof policyVersions.$inferSelect;
