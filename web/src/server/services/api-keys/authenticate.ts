import { type ApiKeyScope, apiKeys } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";
import { type CredentialColumns, hashIsLive, recordUse } from "../credentials/lifecycle.ts";

const API_KEY_COLUMNS: CredentialColumns = {
  hash: apiKeys.keyHash,
  expiresAt: apiKeys.expiresAt,
  previousHash: apiKeys.previousKeyHash,
  previousExpiresAt: apiKeys.previousExpiresAt,
};

/**
 * The live key a bearer secret names, or undefined when it is unknown, expired, rotated away
 * (past its overlap window) or revoked. Read from the database on every request, so revoking
 * refuses the very next one. Records the use (time and client address, refreshed at most once a
 * minute unless the address changes) and audits a use from a new address.
 */
export async function authenticateApiKey({
  ctx,
  input,
}: ServiceCall<RequestContext, { secret: string }>): Promise<
  { keyId: string; organizationId: string; scope: ApiKeyScope } | undefined
> {
  const now = new Date();
  const [key] = await ctx.db
    .select({
      id: apiKeys.id,
      organizationId: apiKeys.organizationId,
      scope: apiKeys.scope,
      lastUsedAt: apiKeys.lastUsedAt,
      lastUsedFrom: apiKeys.lastUsedFrom,
    })
    .from(apiKeys)
    .where(and(hashIsLive(API_KEY_COLUMNS, sha256(input.secret), now), isNull(apiKeys.revokedAt)));
  if (!key) return undefined;

  const use = {
    organizationId: key.organizationId,
    targetType: "api_key" as const,
    targetId: key.id,
    actor: { type: "api_key" as const, id: key.id },
    last: { at: key.lastUsedAt, from: key.lastUsedFrom },
  };
  await recordUse(ctx, use, async (tx, values) => {
    await tx
      .update(apiKeys)
      .set(values)
      .where(and(eq(apiKeys.organizationId, key.organizationId), eq(apiKeys.id, key.id)));
  });
  return { keyId: key.id, organizationId: key.organizationId, scope: key.scope };
}
