import { openIdentitySecret, sealIdentitySecret } from "../keys/identity-secrets.ts";
import type { Keyring } from "../keys/keyring.ts";

/** Where a client secret lives: its organisation and connection row. */
export interface SecretIds {
  organizationId: string;
  connectionId: string;
}

/**
 * Client secrets are sealed under the organisation's `identity` data key, bound to the
 * connection row, so a sealed secret copied to another organisation or row does not open.
 * sso_connections.client_secret_sealed is listed in SEALED_COLUMNS, so rotations re-encrypt it.
 */
const owner = (ids: SecretIds) => ({ organizationId: ids.organizationId, row: ids.connectionId });

/** Seals an identity provider's client secret for storage. */
export function sealClientSecret(
  keyring: Keyring,
  ids: SecretIds,
  secret: string,
): Promise<string> {
  return sealIdentitySecret(keyring, new TextEncoder().encode(secret), owner(ids));
}

/** Opens a sealed client secret; throws UnsealError when it belongs elsewhere. */
export async function openClientSecret(
  keyring: Keyring,
  ids: SecretIds,
  sealed: string,
): Promise<string> {
  return new TextDecoder().decode(await openIdentitySecret(keyring, sealed, owner(ids)));
}
