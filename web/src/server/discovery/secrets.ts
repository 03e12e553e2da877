import type { Database } from "@ringfence/db";
import { z } from "zod";
import type { Keyring, SealBinding } from "../services/keys/keyring.ts";
import { type ServiceAccountKey, serviceAccountKeySchema } from "./gcp/token.ts";

/** What an account's sealed secret holds, by provider. AWS accounts hold none. */
export type AccountSecret =
  | { provider: "azure"; kind: "secret"; clientSecret: string }
  | { provider: "azure"; kind: "federated"; assertion: string }
  | { provider: "gcp"; key: ServiceAccountKey };

// A plain union: two variants share `provider: "azure"`, which a discriminated union refuses.
const secretSchema = z.union([
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
const binding = (organizationId: string, accountId: string): SealBinding => ({
  purpose: "cloud-credentials",
  organizationId,
  row: accountId,
});

/** Seals a customer's cloud secret for storage on its account row. */
export function sealAccountSecret(
  kek: Keyring,
  ids: { organizationId: string; accountId: string },
  secret: AccountSecret,
  db: Database,
): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(secret));
  return kek.seal(bytes, binding(ids.organizationId, ids.accountId), db);
}

/** Opens and validates an account's sealed secret. */
export async function openAccountSecret(
  kek: Keyring,
  ids: { organizationId: string; accountId: string },
  sealed: string,
  db: Database,
): Promise<AccountSecret> {
  const bytes = await kek.open(sealed, binding(ids.organizationId, ids.accountId), db);
  return secretSchema.parse(JSON.parse(new TextDecoder().decode(bytes)));
}
