/**
 * Every table of the control plane. Later schema files are added to this list; drizzle-kit reads
 * the folder, and services get typed relational access through `Schema`.
 */
export * from "./api-keys.ts";
export * from "./audit-log.ts";
export * from "./discovery.ts";
export * from "./enforcement.ts";
export * from "./idempotency.ts";
export * from "./integrations.ts";
export * from "./invitations.ts";
export * from "./keys.ts";
export * from "./login-attempts.ts";
export * from "./memberships.ts";
export * from "./mfa.ts";
export * from "./organizations.ts";
export * from "./outbox.ts";
export * from "./policy.ts";
export * from "./sessions.ts";
export * from "./sso.ts";
export * from "./users.ts";
