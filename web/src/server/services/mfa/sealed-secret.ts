import type { Database } from "@ringfence/db";
import { openIdentitySecret, sealIdentitySecret } from "../keys/identity-secrets.ts";
import type { Keyring } from "../keys/keyring.ts";

/**
 * TOTP secrets are sealed under the instance's `identity` data key (a user's factor belongs to
 * no single organisation), bound to their factor row, so a sealed secret copied into another row
 * does not open. The binding is the row id alone, which is how key rotation rebuilds it when it
 * re-encrypts `totp_factors.secret_sealed` (listed in SEALED_COLUMNS).
 */
export function sealTotpSecret(
  keyring: Keyring,
  secret: Uint8Array<ArrayBuffer>,
  factorId: string,
  db: Database,
): Promise<string> {
  return sealIdentitySecret(keyring, secret, { organizationId: null, row: factorId }, db);
}

export function openTotpSecret(
  keyring: Keyring,
  sealed: string,
  factorId: string,
  db: Database,
): Promise<Uint8Array<ArrayBuffer>> {
  return openIdentitySecret(keyring, sealed, { organizationId: null, row: factorId }, db);
}
