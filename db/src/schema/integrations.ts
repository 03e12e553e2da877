import { boolean, index, integer, pgEnum, pgTable, text } from "drizzle-orm/pg-core";
import { ID_PREFIXES, type IdPrefix, newId } from "../ids.ts";
import { timestamps } from "./columns.ts";
import { organizationIdColumn } from "./organizations.ts";

/**
 * Where an organisation's events and audit entries are sent: signed webhooks, Splunk HEC and
 * syslog (CEF over TCP or TLS). Secrets (the webhook's `whsec_…`, the HEC token) are stored
 * sealed with the key-encryption key, bound to the organisation and integration id.
 */

export const INTEGRATION_KIND_VALUES = ["webhook", "splunk_hec", "syslog"] as const;
export const integrationKindEnum = pgEnum("integration_kind", INTEGRATION_KIND_VALUES);
export type IntegrationKind = (typeof INTEGRATION_KIND_VALUES)[number];

const INTEGRATION_PREFIX: IdPrefix = ID_PREFIXES.integration;

/** A new integration id, `int_…`, time-sortable like every other id. */
export function newIntegrationId(): string {
  return newId(INTEGRATION_PREFIX);
}

export const integrations = pgTable(
  "integrations",
  {
    id: text("id").primaryKey().$defaultFn(newIntegrationId),
    organizationId: organizationIdColumn(),
    name: text("name").notNull(),
    kind: integrationKindEnum("kind").notNull(),
    /** `https://…` for webhooks and HEC; `tcp://host:port` or `tls://host:port` for syslog. */
    target: text("target").notNull(),
    /** The webhook secret or HEC token, sealed; null for syslog. */
    sealedSecret: text("sealed_secret"),
    /** Extra CA certificate (PEM) a TLS target is verified against; public data. */
    caPem: text("ca_pem"),
    /** OCSF class uids to send; empty sends every class. */
    classes: integer("classes").array().notNull().default([]),
    /** Lowest OCSF `severity_id` to send (0 sends everything). */
    minSeverity: integer("min_severity").notNull().default(0),
    /** Whether audit-log entries (OCSF API Activity) are sent too. */
    includeAudit: boolean("include_audit").notNull().default(false),
    enabled: boolean("enabled").notNull().default(true),
    /** After this long without a successful attempt a delivery is dead-lettered. */
    deadLetterAfterSeconds: integer("dead_letter_after_seconds").notNull().default(86_400),
    ...timestamps(),
  },
  (table) => [index("integrations_organization_id_idx").on(table.organizationId, table.id)],
);

export type IntegrationRow = typeof integrations.$inferSelect;
