import { enforcers } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { latestBundle } from "../bundles/store.ts";
import { type EnforcerDto, presentEnforcer } from "./present.ts";

/**
 * Revokes an enforcer: its credential stops working at once, including for a bundle request
 * already parked (which re-checks on every pass). Revoking twice is not an error.
 */
export async function revokeEnforcer({
  ctx,
  input,
}: ServiceCall<OrgContext, { enforcerId: string }>): Promise<EnforcerDto> {
  const row = await ctx.db.transaction(async (tx) => {
    await tx
      .update(enforcers)
      .set({ revokedAt: new Date() })
      .where(
        and(
          eq(enforcers.organizationId, ctx.organizationId),
          eq(enforcers.id, input.enforcerId),
          isNull(enforcers.revokedAt),
        ),
      );
    const [current] = await tx
      .select()
      .from(enforcers)
      .where(
        and(eq(enforcers.organizationId, ctx.organizationId), eq(enforcers.id, input.enforcerId)),
      );
    if (current === undefined) {
      throw new AppError("not_found", `There is no enforcer ${input.enforcerId}.`);
    }
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "enforcer.revoke",
      targetType: "enforcer",
      targetId: current.id,
      details: { name: current.name },
    });
    return current;
  });
  const latest = (await latestBundle(ctx.db, ctx.organizationId))?.version ?? null;
  return presentEnforcer(row, latest);
}
