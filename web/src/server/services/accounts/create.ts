import { cloudAccounts, ID_PREFIXES, newId } from "@ringfence/db";
import { z } from "zod";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { serviceAccountKeySchema } from "../../discovery/gcp/index.ts";
import { type AccountSecret, sealAccountSecret } from "../../discovery/secrets.ts";
import { AppError } from "../../errors.ts";
import type { KeyEncryptionKey } from "../keys/kek.ts";
import { type CloudAccountDto, presentAccount } from "./present.ts";

const common = {
  name: z.string().trim().min(1).max(200),
  offline: z.boolean().default(false),
  syncIntervalSeconds: z.number().int().min(300).max(86_400).default(900),
};

/** What onboarding accepts, per provider. The AWS ExternalId is never an input. */
export const createAccountInput = z.discriminatedUnion("provider", [
  z.strictObject({
    provider: z.literal("aws"),
    ...common,
    accountId: z.string().regex(/^\d{12}$/, "an AWS account id is 12 digits"),
    roleName: z
      .string()
      .regex(/^[\w+=,.@-]{1,64}$/)
      .default("RingfenceReadOnly"),
  }),
  z.strictObject({
    provider: z.literal("azure"),
    ...common,
    subscriptionId: z.string().uuid(),
    tenantId: z.string().uuid(),
    clientId: z.string().uuid(),
    credential: z
      .discriminatedUnion("kind", [
        z.strictObject({ kind: z.literal("secret"), clientSecret: z.string().min(1).max(1024) }),
        z.strictObject({ kind: z.literal("federated"), assertion: z.string().min(1).max(16_384) }),
      ])
      .optional(),
  }),
  z.strictObject({
    provider: z.literal("gcp"),
    ...common,
    projectId: z.string().regex(/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/),
    key: serviceAccountKeySchema.optional(),
  }),
]);

export type CreateAccountInput = z.input<typeof createAccountInput>;

/** A fresh ExternalId: 128 random bits, so no customer can guess or choose another's. */
export function newExternalId(): string {
  return `rf-${Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("hex")}`;
}

function identity(input: z.output<typeof createAccountInput>) {
  if (input.provider === "aws") {
    return {
      cloudAccountId: input.accountId,
      roleArn: `arn:aws:iam::${input.accountId}:role/${input.roleName}`,
      externalId: newExternalId(),
    };
  }
  if (input.provider === "azure")
    return {
      cloudAccountId: input.subscriptionId,
      tenantId: input.tenantId,
      clientId: input.clientId,
    };
  return { cloudAccountId: input.projectId, clientId: input.key?.client_email ?? null };
}

function secretOf(input: z.output<typeof createAccountInput>): AccountSecret | undefined {
  if (input.provider === "azure" && input.credential) {
    return input.credential.kind === "secret"
      ? { provider: "azure", kind: "secret", clientSecret: input.credential.clientSecret }
      : { provider: "azure", kind: "federated", assertion: input.credential.assertion };
  }
  if (input.provider === "gcp" && input.key) return { provider: "gcp", key: input.key };
  return undefined;
}

/** Onboards a cloud account in `pending` (or offline) state; secrets are sealed before storage. */
export async function createAccount({
  ctx,
  input,
}: ServiceCall<
  OrgContext & { kek: KeyEncryptionKey },
  CreateAccountInput
>): Promise<CloudAccountDto> {
  const parsed = createAccountInput.parse(input);
  const id = newId(ID_PREFIXES.cloudAccount);
  const secret = secretOf(parsed);
  const sealedSecret = secret
    ? await sealAccountSecret(
        ctx.kek,
        { organizationId: ctx.organizationId, accountId: id },
        secret,
        ctx.db,
      )
    : null;
  const [row] = await ctx.db
    .insert(cloudAccounts)
    .values({
      id,
      organizationId: ctx.organizationId,
      provider: parsed.provider,
      name: parsed.name,
      offline: parsed.offline,
      syncIntervalSeconds: parsed.syncIntervalSeconds,
      status: parsed.offline ? "active" : "pending",
      sealedSecret,
      ...identity(parsed),
    })
    .onConflictDoNothing()
    .returning();
  if (!row)
    throw new AppError("conflict", "This cloud account is already onboarded in the organisation.");
  return presentAccount(row);
}
