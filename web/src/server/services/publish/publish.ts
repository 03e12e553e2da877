import { DocumentError, type Policy } from "@ringfence/engine/documents";
import { type ResolvedPolicy, resolvePolicy } from "@ringfence/engine/policy";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { BundleDto } from "../bundles/present.ts";
import { publishResolved } from "../bundles/publish.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { fieldsOf } from "../policy/canonical.ts";
import { diffPolicies } from "../policy/diff.ts";
import { loadDraft } from "../policy/draft.ts";
import { loadInventory } from "../policy/inventory.ts";
import { policyVersions } from "../policy/tables.ts";
import { latestVersion, type PolicyVersionDto, presentVersion, runningPolicy } from "./versions.ts";

/** A publication: the signed bundle and the version record with its diff. */
export interface Publication {
  bundle: BundleDto;
  version: PolicyVersionDto;
}

/** Compiles a policy against the organisation's current inventory; problems are a 400. */
export async function compileWithInventory(
  ctx: OrgContext,
  policy: Policy,
): Promise<ResolvedPolicy> {
  const inventory = await loadInventory(ctx.db, ctx.organizationId);
  try {
    return resolvePolicy(policy, inventory);
  } catch (error) {
    if (!(error instanceof DocumentError)) throw error;
    throw new AppError("invalid_request", `The draft does not compile: ${error.message}`, {
      fields: fieldsOf(error.issues),
      cause: error,
    });
  }
}

/**
 * Signs `resolved` through the bundle service and records the source document and its diff
 * against the running version.
 */
// FIXME(deploy): the version row is written just after the bundle service's own transaction;
// a crash between the two leaves a bundle without a diff. A hook in publishResolved running
// inside its transaction (owned by Enforcement) would make them one commit.
export async function recordPublication(
  ctx: WithEnforcement<OrgContext>,
  input: { policy: Policy; resolved: ResolvedPolicy; reason: string; rollbackOf?: number },
): Promise<Publication> {
  const running = runningPolicy(await latestVersion(ctx.db, ctx.organizationId));
  const diff = diffPolicies(running, input.policy);
  const bundle = await publishResolved({
    ctx,
    input: {
      policy: input.resolved,
      ...(input.rollbackOf === undefined ? {} : { rollbackOf: input.rollbackOf }),
    },
  });
  const [row] = await ctx.db
    .insert(policyVersions)
    .values({
      organizationId: ctx.organizationId,
      version: bundle.version,
      bundleId: bundle.id,
      document: input.policy as unknown as Record<string, unknown>,
      diff: diff as unknown as Record<string, unknown>,
      reason: input.reason,
      rollbackOf: input.rollbackOf ?? null,
      createdBy: ctx.actor.id,
    })
    .returning();
  if (row === undefined) throw new Error("insert into policy_versions returned no row");
  return { bundle, version: presentVersion(row) };
}

/**
 * Publishes the draft: compiles it with the current inventory, signs the next bundle version
 * through the bundle service (which wakes waiting enforcers) and records what changed.
 */
export async function publishDraft({
  ctx,
}: ServiceCall<WithEnforcement<OrgContext>, unknown>): Promise<Publication> {
  const { policy } = await loadDraft(ctx.db, ctx.organizationId);
  const resolved = await compileWithInventory(ctx, policy);
  return recordPublication(ctx, { policy, resolved, reason: "publish" });
}
