import type { Database } from "@ringfence/db";
import type { Keyring } from "./keyring.ts";

/**
 * Where a sign-in secret lives: its organisation (an OIDC connection's client secret) or null
 * for secrets of a user (a TOTP seed), and the row and field it is stored in.
 */
export interface IdentitySecretOwner {
  organizationId: string | null;
  row: string;
}

/**
 * Seals a sign-in secret (TOTP seed, OIDC client secret) under the `identity` data key of its
 * organisation, or of the instance when `organizationId` is null. Add the column to
 * SEALED_COLUMNS (sealed-columns.ts) so rotations re-encrypt it.
 */
export function sealIdentitySecret(
  keyring: Keyring,
  secret: Uint8Array,
  owner: IdentitySecretOwner,
  db?: Database,
): Promise<string> {
  return keyring.seal(secret, { purpose: "identity", ...owner }, db);
}

/** Opens what sealIdentitySecret sealed for the same owner; throws UnsealError otherwise. */
export function openIdentitySecret(
  keyring: Keyring,
  sealed: string,
  owner: IdentitySecretOwner,
  db?: Database,
): Promise<Uint8Array<ArrayBuffer>> {
  return keyring.open(sealed, { purpose: "identity", ...owner }, db);
}
