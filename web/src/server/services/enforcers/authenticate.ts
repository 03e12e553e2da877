import { enforcers } from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { ENFORCER_CREDENTIAL_PREFIX } from "@ringfence/engine/control";
import type { RequestContext, ServiceCall } from "../../context.ts";
import { sha256 } from "../../tokens.ts";
import { type CredentialColumns, hashIsLive, recordUse } from "../credentials/lifecycle.ts";
import type { EnforcerIdentity } from "./runtime.ts";

export const ENFORCER_CREDENTIAL_COLUMNS: CredentialColumns = {
  hash: enforcers.credentialHash,
  expiresAt: enforcers.credentialExpiresAt,
  previousHash: enforcers.previousCredentialHash,
  previousExpiresAt: enforcers.previousCredentialExpiresAt,
};

/**
 * The live enforcer a credential names, or undefined when it is unknown, expired, rotated away
 * (past the overlap window) or revoked. Read from the database on every request, never cached,
 * so a revocation refuses the very next request. Records the use (time and client address,
 * refreshed at most once a minute unless the address changes) and audits a new address.
 */
export async function authenticateEnforcer({
  ctx,
  input,
}: ServiceCall<RequestContext, { credential: string }>): Promise<EnforcerIdentity | undefined> {
  if (!input.credential.startsWith(ENFORCER_CREDENTIAL_PREFIX)) {
    return undefined;
  }
  const now = new Date();
  const credentialHash = sha256(input.credential);
  const [row] = await ctx.db
    .select({
      id: enforcers.id,
      organizationId: enforcers.organizationId,
      name: enforcers.name,
      kind: enforcers.kind,
      lastUsedAt: enforcers.lastUsedAt,
      lastUsedFrom: enforcers.lastUsedFrom,
    })
    .from(enforcers)
    .where(
      and(
        hashIsLive(ENFORCER_CREDENTIAL_COLUMNS, credentialHash, now),
        isNull(enforcers.revokedAt),
      ),
    );
  if (row === undefined) return undefined;

  const use = {
    organizationId: row.organizationId,
    targetType: "enforcer" as const,
    targetId: row.id,
    actor: { type: "system" as const, id: row.id },
    last: { at: row.lastUsedAt, from: row.lastUsedFrom },
  };
  await recordUse(ctx, use, async (tx, values) => {
    await tx
      .update(enforcers)
      .set(values)
      .where(and(eq(enforcers.organizationId, row.organizationId), eq(enforcers.id, row.id)));
  });
  const { id, organizationId, name, kind } = row;
  return { id, organizationId, name, kind, credentialHash };
}
