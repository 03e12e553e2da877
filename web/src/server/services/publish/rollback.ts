import { bundles } from "@ringfence/db";
import { and, eq, sql } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { policyOf } from "../bundles/store.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { canonicalPolicy } from "../policy/canonical.ts";
import { loadDraft } from "../policy/draft.ts";
import { policyDrafts } from "../policy/tables.ts";
import { type Publication, recordPublication } from "./publish.ts";
import { versionRow } from "./versions.ts";

/**
 * Rolls back to an earlier version: its exact signed content goes out again as a new, higher
 * version (enforcers only move forward), and the draft becomes that version's document so the
 * next edit starts from what is running.
 */
export async function rollbackToVersion({
  ctx,
  input,
}: ServiceCall<WithEnforcement<OrgContext>, { version: number }>): Promise<Publication> {
  const target = await versionRow(ctx.db, ctx.organizationId, input.version);
  const [bundle] = await ctx.db
    .select()
    .from(bundles)
    .where(and(eq(bundles.organizationId, ctx.organizationId), eq(bundles.id, target.bundleId)));
  if (bundle === undefined) {
    throw new AppError("not_found", `The bundle of version ${input.version} is gone.`);
  }
  const policy = canonicalPolicy(target.document);
  const publication = await recordPublication(ctx, {
    policy,
    resolved: policyOf(bundle),
    reason: "rollback",
    rollbackOf: target.version,
  });

  await ctx.db.transaction(async (tx) => {
    await loadDraft(tx, ctx.organizationId, { lock: true });
    await tx
      .update(policyDrafts)
      .set({
        document: policy as unknown as Record<string, unknown>,
        revision: sql`${policyDrafts.revision} + 1`,
      })
      .where(eq(policyDrafts.organizationId, ctx.organizationId));
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "policy.rollback",
      targetType: "policy",
      targetId: ctx.organizationId,
      details: { version: publication.version.version, rollbackOf: target.version },
    });
  });
  return publication;
}
