import type { KeyEncryptionKey } from "../keys/kek.ts";
import { seal, unseal } from "../keys/seal.ts";

/** A fresh Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}

/** The sealing context binds a secret to its organisation and integration row. */
function contextOf(organizationId: string, integrationId: string): string {
  return `integration-secret:${organizationId}:${integrationId}`;
}

/** Seals an integration's secret for storage. */
export function sealSecret(
  kek: KeyEncryptionKey,
  organizationId: string,
  integrationId: string,
  secret: string,
): Promise<string> {
  const bytes = new Uint8Array(new TextEncoder().encode(secret));
  return seal(kek, bytes, contextOf(organizationId, integrationId));
}

/** Opens a sealed secret; throws UnsealError when it belongs to another row or key. */
export async function openSecret(
  kek: KeyEncryptionKey,
  organizationId: string,
  integrationId: string,
  sealed: string,
): Promise<string> {
  const bytes = await unseal(kek, sealed, contextOf(organizationId, integrationId));
  return new TextDecoder().decode(bytes);
}
