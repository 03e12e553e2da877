import type { EnforcerRow } from "@ringfence/db";

/** An enforcer as the console shows it; `drift` says it enforces less than the newest bundle. */
export interface EnforcerDto {
  id: string;
  name: string;
  kind: "gateway" | "worker";
  softwareVersion: string | null;
  bundleVersion: number | null;
  latestVersion: number | null;
  drift: boolean;
  lastSeenAt: string | null;
  statusMessage: string | null;
  credentialStart: string;
  credentialExpiresAt: string | null;
  credentialRotatedAt: string | null;
  /** Until when the credential replaced by the last rotation still works. */
  previousCredentialValidUntil: string | null;
  lastUsedAt: string | null;
  lastUsedFrom: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export function presentEnforcer(row: EnforcerRow, latestVersion: number | null): EnforcerDto {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    softwareVersion: row.softwareVersion,
    bundleVersion: row.bundleVersion,
    latestVersion,
    drift:
      latestVersion !== null && row.revokedAt === null && (row.bundleVersion ?? 0) < latestVersion,
    lastSeenAt: row.lastSeenAt?.toISOString() ?? null,
    statusMessage: row.statusMessage,
    credentialStart: row.credentialStart,
    credentialExpiresAt: row.credentialExpiresAt?.toISOString() ?? null,
    credentialRotatedAt: row.credentialRotatedAt?.toISOString() ?? null,
    previousCredentialValidUntil: row.previousCredentialExpiresAt?.toISOString() ?? null,
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedFrom: row.lastUsedFrom,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
