import { enforcers } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { StatusReport } from "@ringfence/engine/control";
import type { ServiceCall } from "../../context.ts";
import type { EnforcerContext } from "./runtime.ts";

/** Records a heartbeat: the bundle version enforced, software version and last-seen time. */
export async function reportStatus({
  ctx,
  input,
}: ServiceCall<EnforcerContext, StatusReport>): Promise<void> {
  await ctx.db
    .update(enforcers)
    .set({
      bundleVersion: input.version,
      bundleHash: input.hash ?? null,
      ...(input.softwareVersion === undefined ? {} : { softwareVersion: input.softwareVersion }),
      statusMessage: input.message ?? null,
      lastSeenAt: new Date(),
    })
    .where(
      and(
        eq(enforcers.organizationId, ctx.enforcer.organizationId),
        eq(enforcers.id, ctx.enforcer.id),
      ),
    );
}
