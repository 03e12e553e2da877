import {
  ID_PREFIXES,
  memberships,
  newId,
  type Role,
  type SsoClaimMapping,
  sessions,
  ssoConnections,
  ssoDomains,
} from "@ringfence/db";
import { and, eq, inArray, isNotNull, ne } from "@ringfence/db/orm";
import { recordAudit } from "../../audit.ts";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { discoverProvider } from "./client.ts";
import { findConnection } from "./get.ts";
import { presentConnection } from "./present.ts";
import type { WithSso } from "./runtime.ts";
import { openClientSecret, sealClientSecret } from "./secret.ts";

export interface SaveConnectionInput {
  issuer: string;
  clientId: string;
  /** Required when creating; when updating, leaving it out keeps the stored one. */
  clientSecret?: string | undefined;
  claims: SsoClaimMapping;
  groupRoles: Record<string, Role>;
  defaultRole: Role;
  jitEnabled: boolean;
  requireSso: boolean;
  enabled: boolean;
  redirectUri: string;
}

/**
 * Creates or replaces the organisation's connection. The issuer's discovery document is read
 * first (through the guarded fetch), so a wrong or unreachable issuer is refused at save time
 * with the reason, and nothing is stored. Turning "require SSO" on ends the members' password
 * sessions (owners excepted), so the rule holds from their next request.
 */
export async function saveConnection({
  ctx,
  input,
}: ServiceCall<WithSso<OrgContext>, SaveConnectionInput>) {
  const existing = await findConnection(ctx, ctx.organizationId);
  const id = existing?.id ?? newId(ID_PREFIXES.ssoConnection);
  const ids = { organizationId: ctx.organizationId, connectionId: id };
  await checkRules(ctx, input);

  const secret =
    input.clientSecret ??
    (existing ? await openClientSecret(ctx.sso.keyring, ids, existing.clientSecretSealed) : "");
  if (secret === "") {
    throw new AppError("invalid_request", "A new SSO connection needs its client secret.", {
      fields: [{ location: "body", path: "clientSecret", message: "Required when creating" }],
    });
  }
  await discoverProvider(ctx.sso, { ...input, clientSecret: secret });
  // Sealed before the transaction: sealing may read key rows, which must not wait on it.
  const clientSecretSealed = await sealClientSecret(ctx.sso.keyring, ids, secret);

  const row = await ctx.db.transaction(async (tx) => {
    const values = {
      issuer: input.issuer,
      clientId: input.clientId,
      clientSecretSealed,
      claims: input.claims,
      groupRoles: input.groupRoles,
      defaultRole: input.defaultRole,
      jitEnabled: input.jitEnabled,
      requireSso: input.requireSso,
      enabled: input.enabled,
    };
    const [saved] = await tx
      .insert(ssoConnections)
      .values({ id, organizationId: ctx.organizationId, ...values })
      .onConflictDoUpdate({ target: ssoConnections.organizationId, set: values })
      .returning();
    if (!saved) throw new Error("upsert into sso_connections returned no row");

    const ended = input.requireSso ? await endPasswordSessions(tx, ctx.organizationId) : 0;
    await recordAudit(tx, ctx, {
      organizationId: ctx.organizationId,
      action: existing ? "sso.update" : "sso.create",
      targetType: "sso_connection",
      targetId: saved.id,
      details: {
        issuer: input.issuer,
        clientId: input.clientId,
        secretChanged: input.clientSecret !== undefined,
        requireSso: input.requireSso,
        enabled: input.enabled,
        passwordSessionsEnded: ended,
      },
    });
    return saved;
  });
  return presentConnection(row, input.redirectUri);
}

async function checkRules(ctx: OrgContext, input: SaveConnectionInput): Promise<void> {
  if (input.requireSso && !input.enabled) {
    throw new AppError("invalid_request", "SSO cannot be required while the connection is off.", {
      fields: [{ location: "body", path: "requireSso", message: "Needs enabled: true" }],
    });
  }
  if (!input.requireSso) return;
  const [verified] = await ctx.db
    .select({ id: ssoDomains.id })
    .from(ssoDomains)
    .where(and(eq(ssoDomains.organizationId, ctx.organizationId), isNotNull(ssoDomains.verifiedAt)))
    .limit(1);
  if (!verified) {
    throw new AppError(
      "invalid_request",
      "Verify an email domain before requiring SSO, or nobody could sign in.",
      { fields: [{ location: "body", path: "requireSso", message: "No verified domain" }] },
    );
  }
}

/** Deletes password sessions of the organisation's members other than owners. */
async function endPasswordSessions(tx: OrgContext["db"], organizationId: string): Promise<number> {
  const members = tx
    .select({ userId: memberships.userId })
    .from(memberships)
    .where(and(eq(memberships.organizationId, organizationId), ne(memberships.role, "owner")));
  const ended = await tx
    .delete(sessions)
    .where(and(eq(sessions.method, "password"), inArray(sessions.userId, members)))
    .returning({ id: sessions.id });
  return ended.length;
}
