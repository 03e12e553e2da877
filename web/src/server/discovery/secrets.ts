import { z } from "zod";
import type { KeyEncryptionKey } from "../services/keys/kek.ts";
import { seal, unseal } from "../services/keys/seal.ts";
import { type ServiceAccountKey, serviceAccountKeySchema } from "./gcp/token.ts";

/** What an account's sealed secret holds, by provider. AWS accounts hold none. */
export type AccountSecret =
  | { provider: "azure"; kind: "secret"; clientSecret: string }
  | { provider: "azure"; kind: "federated"; assertion: string }
  | { provider: "gcp"; key: ServiceAccountKey };

const secretSchema = z.discriminatedUnion("provider", [
  z.object({
    provider: z.literal("azure"),
    kind: z.literal("secret"),
    clientSecret: z.string().min(1),
  }),
  z.object({
    provider: z.literal("azure"),
    kind: z.literal("federated"),
    assertion: z.string().min(1),
  }),
  z.object({ provider: z.literal("gcp"), key: serviceAccountKeySchema }),
]);

/** Binding the row into the associated data means a sealed secret copied elsewhere won't open. */
const context = (organizationId: string, accountId: string) =>
  `cloud_account:${organizationId}:${accountId}`;

/** Seals a customer's cloud secret for storage on its account row. */
export function sealAccountSecret(
  kek: KeyEncryptionKey,
  ids: { organizationId: string; accountId: string },
  secret: AccountSecret,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(secret));
  return seal(kek, bytes, context(ids.organizationId, ids.accountId));
}

/** Opens and validates an account's sealed secret. */
export async function openAccountSecret(
  kek: KeyEncryptionKey,
  ids: { organizationId: string; accountId: string },
  sealed: string,
): Promise<AccountSecret> {
  const bytes = await unseal(kek, sealed, context(ids.organizationId, ids.accountId));
  return secretSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
}
