import type { Keyring } from "./keyring.ts";

export { UnsealError } from "./keyring.ts";

/**
 * @deprecated Seals under the instance's `identity` data key with `context` as the row; use
 * sealIdentitySecret (identity-secrets.ts) or `Keyring.seal` with a binding of the right purpose.
 */
export function seal(keyring: Keyring, plaintext: Uint8Array, context: string): Promise<string> {
  return keyring.seal(plaintext, { purpose: "identity", organizationId: null, row: context });
}

/** @deprecated Opens what `seal` sealed; use openIdentitySecret or `Keyring.open`. */
export function unseal(
  keyring: Keyring,
  sealed: string,
  context: string,
): Promise<Uint8Array<ArrayBuffer>> {
  return keyring.open(sealed, { purpose: "identity", organizationId: null, row: context });
}
