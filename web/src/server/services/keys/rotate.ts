import { type Database, enforcers, signingKeys } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { type BundleDto, presentBundle } from "../bundles/present.ts";
import { latestBundle, policyOf, signAndStore } from "../bundles/store.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { insertSigningKey, liveSigningKey } from "./signing-key.ts";

/**
 * Replaces the organisation's signing key without downtime: the old key signs one last bundle
 * (the current policy, as a new version) that announces the new key, and every later bundle is
 * signed by the new key. Enforcers that were offline are served that handover bundle first.
 * Returns the handover bundle, or null when there was no bundle and no enforcer to hand over to.
 */
export async function rotateSigningKey({
  ctx,
}: ServiceCall<WithEnforcement<OrgContext>, Record<string, never>>): Promise<{
  keyId: string;
  handover: BundleDto | null;
}> {
  const result = await ctx.db.transaction(async (tx) => {
    const old = await liveSigningKey(tx, ctx.enforcement.keyring, ctx.organizationId, {
      lock: true,
    });
    const current = await latestBundle(tx, ctx.organizationId);
    if (current === undefined) {
      await refuseIfEnforcersWait(tx, ctx.organizationId);
    }

    await retire(tx, ctx.organizationId, old.row.id);
    await insertSigningKey(tx, ctx.enforcement.keyring, ctx.organizationId);
    const next = await liveSigningKey(tx, ctx.enforcement.keyring, ctx.organizationId);
    const handover =
      current === undefined
        ? null
        : await signAndStore(tx, ctx, {
            policy: policyOf(current),
            signer: old,
            announce: next.row,
            handover: true,
          });

    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "signing_key.rotate",
      targetType: "signing_key",
      targetId: next.row.id,
      details: {
        from: old.row.keyId,
        to: next.row.keyId,
        handoverVersion: handover?.version ?? null,
      },
    });
    return { keyId: next.row.keyId, handover };
  });

  ctx.enforcement.notifier.notify(ctx.organizationId);
  return { keyId: result.keyId, handover: result.handover && presentBundle(result.handover) };
}

async function retire(tx: Database, organizationId: string, rowId: string) {
  await tx
    .update(signingKeys)
    .set({ retiredAt: new Date() })
    .where(and(eq(signingKeys.organizationId, organizationId), eq(signingKeys.id, rowId)));
}

/** Without a bundle there is nothing to carry the new key to enforcers that trust the old one. */
async function refuseIfEnforcersWait(tx: Database, organizationId: string) {
  const [live] = await tx
    .select({ id: enforcers.id })
    .from(enforcers)
    .where(and(eq(enforcers.organizationId, organizationId), isNull(enforcers.revokedAt)))
    .limit(1);
  if (live !== undefined) {
    throw new AppError(
      "conflict",
      "Publish a bundle before rotating the signing key: registered enforcers learn the new key from a bundle signed by the old one.",
    );
  }
}
