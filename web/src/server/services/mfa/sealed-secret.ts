import type { KeyEncryptionKey } from "../keys/kek.ts";
import { seal, unseal } from "../keys/seal.ts";

/**
 * TOTP secrets are sealed bound to their factor row, so a sealed secret copied into another
 * row does not open. The binding is the row id alone, which is what a key rotation can rebuild
 * from the row when it re-encrypts the column.
 */
// TODO(key-hierarchy): call sealIdentitySecret/openIdentitySecret (instance `identity` data key,
// row = factor id: the same binding) and list totp_factors.secret_sealed in SEALED_COLUMNS once
// the keyring of issue #12 is committed; `seal` is the helper that exists until then.
export function sealTotpSecret(
  kek: KeyEncryptionKey,
  secret: Uint8Array<ArrayBuffer>,
  factorId: string,
): Promise<string> {
  return seal(kek, secret, factorId);
}

export function openTotpSecret(
  kek: KeyEncryptionKey,
  sealed: string,
  factorId: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return unseal(kek, sealed, factorId);
}
