import type { CloudAccount } from "@ringfence/db";

/** An account as the API shows it: never the sealed secret, always the status message. */
export interface CloudAccountDto {
  id: string;
  provider: CloudAccount["provider"];
  name: string;
  cloudAccountId: string;
  roleArn: string | null;
  externalId: string | null;
  tenantId: string | null;
  clientId: string | null;
  hasSecret: boolean;
  offline: boolean;
  status: CloudAccount["status"];
  statusMessage: string | null;
  syncIntervalSeconds: number;
  lastSyncedAt: string | null;
  createdAt: string;
}

export function presentAccount(row: CloudAccount): CloudAccountDto {
  return {
    id: row.id,
    provider: row.provider,
    name: row.name,
    cloudAccountId: row.cloudAccountId,
    roleArn: row.roleArn,
    externalId: row.externalId,
    tenantId: row.tenantId,
    clientId: row.clientId,
    hasSecret: row.sealedSecret !== null,
    offline: row.offline,
    status: row.status,
    statusMessage: row.statusMessage,
    syncIntervalSeconds: row.syncIntervalSeconds,
    lastSyncedAt: row.lastSyncedAt?.toISOString() ?? null,
    createdAt: row.createdAt.toISOString(),
  };
}
