/** The shapes the console reads from the API (see /api/openapi.json for the full contract). */

import type { AddressObject, Asset } from "@ringfence/engine/documents";

/** Assets and address objects are the engine's canonical documents, read the same everywhere. */
export type { AddressObject, Asset };

export type Role = "viewer" | "editor" | "admin" | "owner";

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
}

export interface Me {
  user: User;
  organizations: { id: string; name: string; slug: string; role: Role }[];
}

export interface Organization {
  id: string;
  name: string;
  slug: string;
  role: Role;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  id: string;
  userId: string;
  email: string;
  name: string;
  role: Role;
  createdAt: string;
}

export interface Invitation {
  id: string;
  email: string;
  role: Role;
  status: "pending" | "accepted" | "revoked" | "expired";
  invitedBy: string | null;
  expiresAt: string;
  createdAt: string;
}

export interface ApiKey {
  id: string;
  name: string;
  start: string;
  scope: "read" | "write";
  createdBy: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}

export interface AuditEvent {
  id: string;
  actorType: string;
  actorId: string;
  action: string;
  targetType: string;
  targetId: string;
  requestId: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

export type Provider = "aws" | "azure" | "gcp";

export interface CloudAccount {
  id: string;
  provider: Provider;
  name: string;
  cloudAccountId: string;
  roleArn: string | null;
  externalId: string | null;
  tenantId: string | null;
  clientId: string | null;
  hasSecret: boolean;
  offline: boolean;
  status: string;
  statusMessage: string | null;
  syncIntervalSeconds: number;
  lastSyncedAt: string | null;
  createdAt: string;
}

/** The AWS role's stack parameters and quick-create link (`GET …/aws-setup`). */
export interface AwsSetupInfo {
  roleArn: string;
  externalId: string;
  parameters: { ExternalId: string; RoleName: string; RingfencePrincipal: string | null };
  templateUrl: string | null;
  quickCreateUrl: string | null;
  missingSettings: string[];
}

/** One thing discovery could not do, naming the fix (a missing permission, a wrong ExternalId). */
export interface DiscoveryProblem {
  scope: string;
  code: string;
  message: string;
  missingPermission?: string;
}

/** What "Verify role" answers (`POST …/verify`). */
export interface AwsVerification {
  ok: boolean;
  checks: { check: string; ok: boolean }[];
  problems: DiscoveryProblem[];
  account: CloudAccount;
}

export interface SyncRun {
  id: string;
  accountId: string;
  trigger: string;
  status: string;
  added: number;
  changed: number;
  removed: number;
  createdAt: string;
}

/** A sync or import as the history lists it, with the cloud ids it added, changed and removed. */
export interface SyncRunDetail extends SyncRun {
  unchanged: number;
  startedAt: string | null;
  finishedAt: string | null;
  diff: { added: string[]; changed: string[]; removed: string[] } | null;
  problems: DiscoveryProblem[];
  error: string | null;
}

export interface ImportResult {
  files: { name: string; format: string; assets: number }[];
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
}

export interface InventoryItem {
  id: string;
  accountId: string;
  asset: Asset;
  updatedAt: string;
}

export interface PostureFinding {
  assetId: string;
  kind: string;
  severity: string;
  message: string;
  fix: { format: string; document: unknown };
}

export interface Enforcer {
  id: string;
  name: string;
  kind: string;
  softwareVersion: string | null;
  bundleVersion: number | null;
  latestVersion: number | null;
  drift: boolean;
  lastSeenAt: string | null;
  statusMessage: string | null;
  credentialStart: string;
  revokedAt: string | null;
  createdAt: string;
}

export interface Registration {
  registration: { id: string; name: string; expiresAt: string; createdAt: string };
  token: string;
}

export interface Bundle {
  id: string;
  version: number;
  hash: string;
  keyId: string;
  handover: boolean;
  rollbackOf: number | null;
  createdBy: string | null;
  createdAt: string;
}
