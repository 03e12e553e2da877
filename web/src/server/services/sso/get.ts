import { type SsoConnection, ssoConnections } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { OrgContext, RequestContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { presentConnection } from "./present.ts";

/** The organisation's connection row, or undefined. */
export async function findConnection(
  ctx: RequestContext,
  organizationId: string,
): Promise<SsoConnection | undefined> {
  const [row] = await ctx.db
    .select()
    .from(ssoConnections)
    .where(eq(ssoConnections.organizationId, organizationId));
  return row;
}

/** The organisation's SSO connection; 404 when none is configured. */
export async function getConnection({
  ctx,
  input,
}: ServiceCall<OrgContext, { redirectUri: string }>) {
  const row = await findConnection(ctx, ctx.organizationId);
  if (!row) throw new AppError("not_found", "This organisation has no SSO connection.");
  return presentConnection(row, input.redirectUri);
}
