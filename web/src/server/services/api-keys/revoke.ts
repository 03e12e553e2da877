import { apiKeys } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type ApiKeyDto, presentApiKey } from "./present.ts";

/** Revokes a key; it stops authenticating at once. Revoking twice answers the same. */
export async function revokeApiKey({
  ctx,
  input,
}: ServiceCall<OrgContext, { keyId: string }>): Promise<ApiKeyDto> {
  return ctx.db.transaction(async (tx) => {
    const inOrg = and(eq(apiKeys.organizationId, ctx.organizationId), eq(apiKeys.id, input.keyId));
    const [revoked] = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(inOrg, isNull(apiKeys.revokedAt)))
      .returning();

    if (revoked) {
      await recordAudit(tx, ctx, {
        organizationId: ctx.organizationId,
        action: "api_key.revoke",
        targetType: "api_key",
        targetId: revoked.id,
      });
      return presentApiKey(revoked);
    }

    const [existing] = await tx.select().from(apiKeys).where(inOrg);
    if (!existing)
      throw new AppError("not_found", `No API key ${input.keyId} in this organisation.`);
    return presentApiKey(existing);
  });
}
