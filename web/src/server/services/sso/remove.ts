import { ssoConnections } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";

/** Deletes the connection; password sign-in is allowed again for every member. */
export async function removeConnection({ ctx }: ServiceCall<OrgContext, Record<string, never>>) {
  await ctx.db.transaction(async (tx) => {
    const [row] = await tx
      .delete(ssoConnections)
      .where(eq(ssoConnections.organizationId, ctx.organizationId))
      .returning({ id: ssoConnections.id, issuer: ssoConnections.issuer });
    if (!row) throw new AppError("not_found", "This organisation has no SSO connection.");
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: "sso.remove",
      targetType: "sso_connection",
      targetId: row.id,
      details: { issuer: row.issuer },
    });
  });
}
