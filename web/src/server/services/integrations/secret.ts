import type { Database } from "@ringfence/db";
import type { Keyring, SealBinding } from "../keys/keyring.ts";

/** A fresh Standard Webhooks secret: `whsec_` and base64 of 32 random bytes. */
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${Buffer.from(bytes).toString("base64")}`;
}

/** The binding ties a secret to its organisation and integration row. */
function bindingOf(organizationId: string, integrationId: string): SealBinding {
  return { purpose: "integration-secrets", organizationId, row: integrationId };
}

/** Seals an integration's secret for storage. */
export function sealSecret(
  kek: Keyring,
  organizationId: string,
  integrationId: string,
  secret: string,
  db: Database,
): Promise<string> {
  const bytes = new TextEncoder().encode(secret);
  return kek.seal(bytes, bindingOf(organizationId, integrationId), db);
}

/** Opens a sealed secret; throws UnsealError when it belongs to another row or key. */
export async function openSecret(
  kek: Keyring,
  organizationId: string,
  integrationId: string,
  sealed: string,
  db: Database,
): Promise<string> {
  const bytes = await kek.open(sealed, bindingOf(organizationId, integrationId), db);
  return new TextDecoder().decode(bytes);
}
