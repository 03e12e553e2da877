import type { SsoConnection, SsoDomain } from "@ringfence/db";

/** The name of the TXT record that proves control of a domain. */
export function challengeName(domain: string): string {
  return `_ringfence-challenge.${domain}`;
}

/** The value the TXT record must hold. */
export function challengeValue(token: string): string {
  return `ringfence-domain-verification=${token}`;
}

/** A connection as the API shows it: the client secret never leaves, only that it is set. */
export function presentConnection(row: SsoConnection, redirectUri: string) {
  return {
    configured: true as const,
    id: row.id,
    issuer: row.issuer,
    clientId: row.clientId,
    clientSecretSet: row.clientSecretSealed !== "",
    claims: row.claims,
    groupRoles: row.groupRoles,
    defaultRole: row.defaultRole,
    jitEnabled: row.jitEnabled,
    requireSso: row.requireSso,
    enabled: row.enabled,
    redirectUri,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** A domain with the TXT record to publish for it. */
export function presentDomain(row: SsoDomain) {
  return {
    id: row.id,
    domain: row.domain,
    verified: row.verifiedAt !== null,
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    txtName: challengeName(row.domain),
    txtValue: challengeValue(row.verificationToken),
    createdAt: row.createdAt.toISOString(),
  };
}
