import { sql } from "drizzle-orm";
import { boolean, index, jsonb, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { type Role, roleEnum } from "./memberships.ts";
import { organizationIdColumn } from "./organizations.ts";
import { sessions } from "./sessions.ts";

/** Which ID token claims carry the email, the display name and the group list. */
export interface SsoClaimMapping {
  email: string;
  name: string;
  groups: string;
}

/**
 * An organisation's OpenID Connect identity provider: at most one per organisation. The client
 * secret is stored sealed under the key-encryption key, bound to this organisation.
 */
export const ssoConnections = pgTable(
  "sso_connections",
  {
    id: idColumn(ID_PREFIXES.ssoConnection),
    organizationId: organizationIdColumn(),
    /** The issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    clientSecretSealed: text("client_secret_sealed").notNull(),
    claims: jsonb("claims").$type<SsoClaimMapping>().notNull(),
    /** IdP group name to role; owners are never granted through a group. */
    groupRoles: jsonb("group_roles").$type<Record<string, Role>>().notNull(),
    /** The role of a member created just in time when none of their groups is mapped. */
    defaultRole: roleEnum("default_role").notNull(),
    /** Create users and memberships at their first SSO sign-in. */
    jitEnabled: boolean("jit_enabled").notNull(),
    /** Members (owners excepted) may not sign in with a password. */
    requireSso: boolean("require_sso").notNull(),
    enabled: boolean("enabled").notNull(),
    ...timestamps(),
  },
  (table) => [uniqueIndex("sso_connections_organization_key").on(table.organizationId)],
);

/**
 * An email domain an organisation claims for SSO, proven by a DNS TXT record. Only verified
 * domains let SSO sign people in, and a domain can be verified by one organisation only.
 */
export const ssoDomains = pgTable(
  "sso_domains",
  {
    id: idColumn(ID_PREFIXES.ssoDomain),
    organizationId: organizationIdColumn(),
    /** Lower-case, without a trailing dot. */
    domain: text("domain").notNull(),
    /** The random value the TXT record must carry. */
    verificationToken: text("verification_token").notNull(),
    verifiedAt: timestampColumn("verified_at"),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("sso_domains_organization_domain_key").on(table.organizationId, table.domain),
    uniqueIndex("sso_domains_verified_domain_key")
      .on(table.domain)
      .where(sql`${table.verifiedAt} is not null`),
  ],
);

/**
 * An authorisation request in flight: the state (stored hashed), the PKCE verifier and the nonce
 * that the callback must match. A row is deleted when the callback uses it, so a state works once.
 */
export const ssoLogins = pgTable(
  "sso_logins",
  {
    id: idColumn(ID_PREFIXES.ssoLogin),
    organizationId: organizationIdColumn(),
    stateHash: text("state_hash").notNull(),
    codeVerifier: text("code_verifier").notNull(),
    nonce: text("nonce").notNull(),
    /** A path on our own origin to land on after sign-in. */
    returnTo: text("return_to").notNull(),
    /**
     * Set when the flow re-proves a signed-in user for step-up: the session to mark, which the
     * callback must come back with. Null for a sign-in.
     */
    stepUpSessionId: text("step_up_session_id").references(() => sessions.id, {
      onDelete: "cascade",
    }),
    expiresAt: timestampColumn("expires_at").notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("sso_logins_state_hash_key").on(table.stateHash),
    index("sso_logins_expires_idx").on(table.expiresAt),
  ],
);

export type SsoConnection = typeof ssoConnections.$inferSelect;
export type SsoDomain = typeof ssoDomains.$inferSelect;
