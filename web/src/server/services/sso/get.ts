import { type SsoConnection, ssoConnections } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import type { OrgContext, RequestContext, ServiceCall } from "../../context.ts";
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

/**
 * The organisation's SSO connection, or `{ configured: false }`. Having none is an ordinary
 * state of an organisation, not a missing resource: the console asks on every visit of the SSO
 * page, and a 404 there would read as a failure in the browser and in the request log.
 */
export async function getConnection({
  ctx,
  input,
}: ServiceCall<OrgContext, { redirectUri: string }>) {
  const row = await findConnection(ctx, ctx.organizationId);
  if (!row) return { configured: false as const };
  return presentConnection(row, input.redirectUri);
}
