import { bigint, index, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import { ID_PREFIXES } from "../ids.ts";
import { idColumn, timestampColumn, timestamps } from "./columns.ts";
import { organizations } from "./organizations.ts";
import { SESSION_METHODS, sessions } from "./sessions.ts";
import { users } from "./users.ts";

/**
 * A user's TOTP authenticator (RFC 6238), at most one per user. The shared secret is sealed under
 * the key-encryption key, bound to the user and this row. Until `confirmedAt` is set the factor
 * is an enrolment in progress and protects nothing. `lastUsedStep` is the highest 30-second
 * step a code was accepted for; a code of that step or an earlier one is refused as a replay.
 */
export const totpFactors = pgTable(
  "totp_factors",
  {
    id: idColumn(ID_PREFIXES.totpFactor),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    secretSealed: text("secret_sealed").notNull(),
    confirmedAt: timestampColumn("confirmed_at"),
    lastUsedStep: bigint("last_used_step", { mode: "number" }),
    ...timestamps(),
  },
  (table) => [uniqueIndex("totp_factors_user_key").on(table.userId)],
);

/**
 * Single-use recovery codes, shown once. Only the SHA-256 is kept, which suffices because each
 * code carries 80 random bits. Regenerating deletes the old set.
 */
export const recoveryCodes = pgTable(
  "recovery_codes",
  {
    id: idColumn(ID_PREFIXES.recoveryCode),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: timestampColumn("used_at"),
    ...timestamps(),
  },
  (table) => [uniqueIndex("recovery_codes_user_hash_key").on(table.userId, table.codeHash)],
);

/**
 * A sign-in whose first factor (password or SSO) succeeded and whose second is still owed: a
 * session pending MFA. It is a row of its own, not a session, so no route can mistake it for
 * one; its token (hashed here) rides in a cookie of its own and buys only the second step.
 */
export const mfaChallenges = pgTable(
  "mfa_challenges",
  {
    id: idColumn(ID_PREFIXES.mfaChallenge),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    tokenHash: text("token_hash").notNull(),
    /** How the first factor was proven: `password` or `sso`; the session will say the same. */
    firstFactor: text("first_factor", { enum: SESSION_METHODS }).notNull(),
    /** For SSO, the organisation whose identity provider proved the first factor. */
    ssoOrganizationId: text("sso_organization_id").references(() => organizations.id, {
      onDelete: "cascade",
    }),
    expiresAt: timestampColumn("expires_at").notNull(),
    ...timestamps(),
  },
  (table) => [
    uniqueIndex("mfa_challenges_token_hash_key").on(table.tokenHash),
    index("mfa_challenges_user_idx").on(table.userId),
  ],
);

/**
 * When a session last re-proved its user (a second factor or the password), for step-up on
 * sensitive actions. A session without a row counts from its creation, which was itself a proof.
 */
export const sessionVerifications = pgTable("session_verifications", {
  sessionId: text("session_id")
    .primaryKey()
    .references(() => sessions.id, { onDelete: "cascade" }),
  verifiedAt: timestampColumn("verified_at").notNull(),
  /** `totp`, `recovery_code`, `password` or `sso` (logged in again at the IdP). */
  method: text("method").notNull(),
  ...timestamps(),
});

export type TotpFactor = typeof totpFactors.$inferSelect;
export type RecoveryCode = typeof recoveryCodes.$inferSelect;
export type MfaChallenge = typeof mfaChallenges.$inferSelect;
