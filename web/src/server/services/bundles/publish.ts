import { DocumentError } from "@ringfence/engine/documents";
import { type ResolvedPolicy, resolvePolicy } from "@ringfence/engine/policy";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { liveSigningKey } from "../keys/signing-key.ts";
import { type BundleDto, presentBundle } from "./present.ts";
import { signAndStore } from "./store.ts";

/**
 * Compiles the organisation's policy against its inventory, signs the result as the next
 * bundle version and wakes every enforcer waiting for it. A policy that does not compile is
 * refused with every problem listed by JSON path; nothing is published.
 */
export async function publishBundle({
  ctx,
  input,
}: ServiceCall<
  WithEnforcement<OrgContext>,
  { policy: unknown; inventory: unknown }
>): Promise<BundleDto> {
  let resolved: ResolvedPolicy;
  try {
    resolved = resolvePolicy(input.policy, input.inventory);
  } catch (error) {
    if (!(error instanceof DocumentError)) {
      throw error;
    }
    const fields = error.issues.map((issue) => ({ location: "body", ...issue }));
    throw new AppError("invalid_request", error.message, { fields, cause: error });
  }
  return publishResolved({ ctx, input: { policy: resolved } });
}

/** Signs and publishes an already resolved policy (also how a rollback republishes). */
export async function publishResolved({
  ctx,
  input,
}: ServiceCall<
  WithEnforcement<OrgContext>,
  { policy: ResolvedPolicy; rollbackOf?: number }
>): Promise<BundleDto> {
  const row = await ctx.db.transaction(async (tx) => {
    const signer = await liveSigningKey(tx, ctx.enforcement.keyring, ctx.organizationId, {
      lock: true,
    });
    const stored = await signAndStore(tx, ctx, {
      policy: input.policy,
      signer,
      announce: signer.row,
      ...(input.rollbackOf === undefined ? {} : { rollbackOf: input.rollbackOf }),
    });
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: input.rollbackOf === undefined ? "bundle.publish" : "bundle.rollback",
      targetType: "bundle",
      targetId: stored.id,
      details: { version: stored.version, hash: stored.hash, rollbackOf: input.rollbackOf ?? null },
    });
    return stored;
  });

  ctx.enforcement.notifier.notify(ctx.organizationId);
  return presentBundle(row);
}
