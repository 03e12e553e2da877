import { enforcers } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { ENFORCER_CREDENTIAL_PREFIX } from "@ringfence/engine/control";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";
import type { EnforcerIdentity } from "./runtime.ts";

/** The live enforcer a credential names, or undefined when it is unknown or revoked. */
export async function authenticateEnforcer({
  ctx,
  input,
}: ServiceCall<RequestContext, { credential: string }>): Promise<EnforcerIdentity | undefined> {
  if (!input.credential.startsWith(ENFORCER_CREDENTIAL_PREFIX)) {
    return undefined;
  }
  const [row] = await ctx.db
    .select({
      id: enforcers.id,
      organizationId: enforcers.organizationId,
      name: enforcers.name,
      kind: enforcers.kind,
    })
    .from(enforcers)
    .where(
      and(eq(enforcers.credentialHash, sha256(input.credential)), isNull(enforcers.revokedAt)),
    );
  return row;
}
