import { type ApiKeyScope, apiKeys } from "@ringfence/db";
import { and, eq, isNull, lt, or } from "@ringfence/db/orm";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";

/** How often `last_used_at` is refreshed; writing it on every request would add a write each. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** The live key a bearer secret names, or undefined when it is unknown or revoked. */
export async function authenticateApiKey({
  ctx,
  input,
}: ServiceCall<RequestContext, { secret: string }>): Promise<
  { keyId: string; organizationId: string; scope: ApiKeyScope } | undefined
> {
  const [key] = await ctx.db
    .select({ id: apiKeys.id, organizationId: apiKeys.organizationId, scope: apiKeys.scope })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, sha256(input.secret)), isNull(apiKeys.revokedAt)));
  if (!key) return undefined;

  const now = new Date();
  const stale = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
  await ctx.db
    .update(apiKeys)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(apiKeys.organizationId, key.organizationId),
        eq(apiKeys.id, key.id),
        or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, stale)),
      ),
    );
  return { keyId: key.id, organizationId: key.organizationId, scope: key.scope };
}
