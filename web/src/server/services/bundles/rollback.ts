import { bundles } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import type { WithEnforcement } from "../enforcers/runtime.ts";
import type { BundleDto } from "./present.ts";
import { publishResolved } from "./publish.ts";
import { policyOf } from "./store.ts";

/**
 * Republishes the content of an earlier version as a new, higher version. Enforcers only ever
 * move forward (they refuse older versions), so going back means going forward to old content.
 */
export async function rollbackBundle({
  ctx,
  input,
}: ServiceCall<WithEnforcement<OrgContext>, { version: number }>): Promise<BundleDto> {
  const [target] = await ctx.db
    .select()
    .from(bundles)
    .where(and(eq(bundles.organizationId, ctx.organizationId), eq(bundles.version, input.version)));
  if (target === undefined) {
    throw new AppError("not_found", `There is no bundle version ${input.version}.`);
  }
  return publishResolved({ ctx, input: { policy: policyOf(target), rollbackOf: target.version } });
}
