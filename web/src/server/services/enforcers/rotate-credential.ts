import { enforcers } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { ENFORCER_CREDENTIAL_PREFIX } from "@ringfence/engine/control";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { randomToken, sha256 } from "../../tokens.ts";
import type { EnforcerContext } from "./runtime.ts";

/**
 * Replaces the calling enforcer's credential; the old one stops working as this commits. The
 * new credential is in this answer only, so the enforcer must persist it before using it.
 */
export async function rotateEnforcerCredential({
  ctx,
}: ServiceCall<EnforcerContext, Record<string, never>>): Promise<{ credential: string }> {
  const credential = `${ENFORCER_CREDENTIAL_PREFIX}${randomToken()}`;
  const { organizationId, id } = ctx.enforcer;
  await ctx.db.transaction(async (tx) => {
    const updated = await tx
      .update(enforcers)
      .set({ credentialHash: sha256(credential), credentialStart: credential.slice(0, 10) })
      .where(
        and(
          eq(enforcers.organizationId, organizationId),
          eq(enforcers.id, id),
          isNull(enforcers.revokedAt),
        ),
      )
      .returning({ id: enforcers.id });
    if (updated.length === 0) {
      throw new AppError("unauthenticated", "The enforcer credential has been revoked.");
    }
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "system", id } },
      {
        organizationId,
        action: "enforcer.rotate_credential",
        targetType: "enforcer",
        targetId: id,
      },
    );
  });
  return { credential };
}
