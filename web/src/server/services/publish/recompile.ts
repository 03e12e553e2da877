import { canonicalize } from "@ringfence/engine/bundle";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { latestBundle, policyOf } from "../bundles/store.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import { canonicalPolicy } from "../policy/canonical.ts";
import { compileWithInventory, type Publication, recordPublication } from "./publish.ts";
import { latestVersion } from "./versions.ts";

/**
 * Recompiles the running policy document against the current inventory and publishes a new
 * bundle when the result differs from the running bundle (an object in use gained or lost
 * members). Call it after every inventory change that committed; it is a no-op otherwise, and
 * before the first publish. Returns the publication, or null when nothing changed.
 */
export async function recompileIfMembershipChanged({
  ctx,
}: ServiceCall<WithEnforcement<OrgContext>, unknown>): Promise<Publication | null> {
  const running = await latestVersion(ctx.db, ctx.organizationId);
  const bundle = await latestBundle(ctx.db, ctx.organizationId);
  if (running === undefined || bundle === undefined) return null;

  const policy = canonicalPolicy(running.document);
  const resolved = await compileWithInventory(ctx, policy);
  if (canonicalize(resolved) === canonicalize(policyOf(bundle))) return null;
  return recordPublication(ctx, { policy, resolved, reason: "inventory" });
}
