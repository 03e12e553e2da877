import type { KeyEncryptionKey } from "../keys/kek.ts";
import { seal, unseal } from "../keys/seal.ts";

/**
 * Client secrets are sealed bound to their organisation and connection row, so a sealed secret
 * copied to another organisation or row does not open.
 */
// TODO(key-hierarchy): seal under the organisation's `identity` data key (row = connection id,
// the same binding) and list sso_connections.client_secret_sealed in SEALED_COLUMNS once the
// keyring of issue #12 is committed; `seal` is the helper that exists until then.
const context = (ids: SecretIds) => `sso-client-secret:${ids.organizationId}:${ids.connectionId}`;

export interface SecretIds {
  organizationId: string;
  connectionId: string;
}

/** Seals an identity provider's client secret for storage. */
export function sealClientSecret(
  kek: KeyEncryptionKey,
  ids: SecretIds,
  secret: string,
): Promise<string> {
  return seal(kek, new Uint8Array(new TextEncoder().encode(secret)), context(ids));
}

/** Opens a sealed client secret; throws UnsealError when it belongs elsewhere. */
export async function openClientSecret(
  kek: KeyEncryptionKey,
  ids: SecretIds,
  sealed: string,
): Promise<string> {
  return new TextDecoder().decode(await unseal(kek, sealed, context(ids)));
}
