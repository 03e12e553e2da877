import { enforcers } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { ENFORCER_CREDENTIAL_PREFIX } from "@ringfence/engine/control";
import { recordAudit } from "../../audit.ts";
import type { ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { expiryFrom, issueSecret, overlapEnd } from "../credentials/lifecycle.ts";
import type { EnforcerContext } from "./runtime.ts";

/**
 * Replaces the calling enforcer's credential. The new one is in this answer only; the one the
 * request came with keeps working until the overlap window ends (`credentialOverlapSeconds`),
 * so an enforcer whose answer was lost, or a second process sharing the credential, is not cut
 * off. A credential already replaced once is dropped at the next rotation.
 */
export async function rotateEnforcerCredential({
  ctx,
}: ServiceCall<EnforcerContext, Record<string, never>>): Promise<{
  credential: string;
  expiresAt: string | null;
  previousValidUntil: string;
}> {
  const issued = issueSecret(ENFORCER_CREDENTIAL_PREFIX);
  const { organizationId, id } = ctx.enforcer;
  const { credentialTtlSeconds, credentialOverlapSeconds } = ctx.enforcement.settings;
  const now = new Date();
  const expiresAt = expiryFrom(now, credentialTtlSeconds);

  const previousValidUntil = await ctx.db.transaction(async (tx) => {
    const [current] = await tx
      .select({ hash: enforcers.credentialHash, expiresAt: enforcers.credentialExpiresAt })
      .from(enforcers)
      .where(
        and(
          eq(enforcers.organizationId, organizationId),
          eq(enforcers.id, id),
          isNull(enforcers.revokedAt),
        ),
      )
      .for("update");
    if (current === undefined) {
      throw new AppError("unauthenticated", "The enforcer credential has been revoked.");
    }
    // The credential being replaced is the current one, even when the caller used the previous.
    const until = overlapEnd(now, credentialOverlapSeconds, current.expiresAt);
    await tx
      .update(enforcers)
      .set({
        credentialHash: issued.hash,
        credentialStart: issued.start,
        credentialExpiresAt: expiresAt,
        previousCredentialHash: current.hash,
        previousCredentialExpiresAt: until,
        credentialRotatedAt: now,
      })
      .where(and(eq(enforcers.organizationId, organizationId), eq(enforcers.id, id)));
    await recordAudit(
      tx,
      { ...ctx, actor: { type: "system", id } },
      {
        organizationId,
        action: "enforcer.rotate_credential",
        targetType: "enforcer",
        targetId: id,
        details: {
          start: issued.start,
          expiresAt: expiresAt?.toISOString() ?? null,
          previousValidUntil: until.toISOString(),
          calledWithPrevious: current.hash !== ctx.enforcer.credentialHash,
        },
      },
    );
    return until;
  });
  return {
    credential: issued.secret,
    expiresAt: expiresAt?.toISOString() ?? null,
    previousValidUntil: previousValidUntil.toISOString(),
  };
}
