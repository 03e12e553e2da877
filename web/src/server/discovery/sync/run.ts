import {
  type CloudAccount,
  cloudAccounts,
  type Database,
  type SyncRun,
  syncRuns,
} from "@ringfence/db";
import { and, eq, sql } from "@ringfence/db/orm";
import type { KeyEncryptionKey } from "../../services/keys/kek.ts";
import { type AwsConnection, discoverAws } from "../aws/index.ts";
import { type AzureConnection, discoverAzure } from "../azure/index.ts";
import { discoverGcp, type GcpConnection } from "../gcp/index.ts";
import { openAccountSecret } from "../secrets.ts";
import { DiscoveryError, type DiscoveryProblem, type DiscoveryResult } from "../types.ts";
import { type AppliedSync, applyDiscovery } from "./apply.ts";

/**
 * What syncs need from the control plane: the database, the key that opens customer secrets,
 * and one connection per provider that is configured (a provider left out cannot be synced,
 * and says so in the account's status). `onInventoryChanged` is where a changed inventory
 * triggers bundle recompilation.
 */
export interface DiscoveryRuntime {
  db: Database;
  kek: KeyEncryptionKey;
  aws?: AwsConnection;
  azure?: AzureConnection;
  gcp?: GcpConnection;
  onInventoryChanged?: (change: {
    organizationId: string;
    accountId: string;
    applied: AppliedSync;
  }) => Promise<void>;
}

/** The outcome of one run, as stored on its row. */
export interface SyncOutcome {
  status: "succeeded" | "partial" | "failed";
  applied?: AppliedSync;
  problems: DiscoveryProblem[];
  error?: string;
}

async function discover(
  runtime: DiscoveryRuntime,
  account: CloudAccount,
): Promise<DiscoveryResult> {
  const missing = (what: string) =>
    new DiscoveryError({
      scope: "account",
      code: "NotConfigured",
      message: `${what} discovery is not configured on this control plane; set its connection settings`,
    });
  const ids = { organizationId: account.organizationId, accountId: account.id };
  if (account.offline) {
    throw new DiscoveryError({
      scope: "account",
      code: "Offline",
      message: "offline account: its inventory comes from imports only",
    });
  }
  if (account.provider === "aws") {
    if (!runtime.aws) throw missing("AWS");
    return discoverAws(runtime.aws, {
      accountId: account.cloudAccountId,
      roleArn: account.roleArn ?? "",
      externalId: account.externalId ?? "",
    });
  }
  const secret = account.sealedSecret
    ? await openAccountSecret(runtime.kek, ids, account.sealedSecret, runtime.db)
    : undefined;
  if (account.provider === "azure") {
    if (!runtime.azure) throw missing("Azure");
    if (secret?.provider !== "azure")
      throw new DiscoveryError({
        scope: "account",
        code: "NoCredential",
        message:
          "no Azure credential stored: add the service principal's secret or federated credential",
      });
    const base = { tenantId: account.tenantId ?? "", clientId: account.clientId ?? "" };
    const credential =
      secret.kind === "secret"
        ? { kind: "secret" as const, ...base, clientSecret: secret.clientSecret }
        : { kind: "federated" as const, ...base, assertion: secret.assertion };
    return discoverAzure(runtime.azure, credential, account.cloudAccountId);
  }
  if (!runtime.gcp) throw missing("GCP");
  if (secret?.provider !== "gcp")
    throw new DiscoveryError({
      scope: "account",
      code: "NoCredential",
      message: "no GCP key stored: upload the service account's JSON key",
    });
  return discoverGcp(runtime.gcp, secret.key, account.cloudAccountId);
}

/**
 * Runs a claimed sync: discovers, applies the diff, and records the outcome on the run and the
 * account. A fatal problem (role refused, bad credential) fails the run and leaves the stored
 * inventory untouched; a partial one keeps every scope that was read.
 */
export async function runSync(runtime: DiscoveryRuntime, run: SyncRun): Promise<SyncOutcome> {
  const { db } = runtime;
  const [account] = await db
    .select()
    .from(cloudAccounts)
    .where(
      and(
        eq(cloudAccounts.organizationId, run.organizationId),
        eq(cloudAccounts.id, run.accountId),
      ),
    );
  if (!account)
    return finish(db, run, undefined, {
      status: "failed",
      problems: [],
      error: "the account was deleted",
    });

  let outcome: SyncOutcome;
  try {
    const result = await discover(runtime, account);
    const applied = await applyDiscovery(
      db,
      { organizationId: account.organizationId, accountId: account.id },
      result,
    );
    outcome = {
      status: result.problems.length > 0 ? "partial" : "succeeded",
      applied,
      problems: result.problems,
    };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    outcome = { status: "failed", problems: [error.problem], error: error.message };
  }
  await finish(db, run, account, outcome);
  if (outcome.applied && outcome.applied.rowsWritten > 0) {
    await runtime.onInventoryChanged?.({
      organizationId: account.organizationId,
      accountId: account.id,
      applied: outcome.applied,
    });
  }
  return outcome;
}

async function finish(
  db: Database,
  run: SyncRun,
  account: CloudAccount | undefined,
  outcome: SyncOutcome,
) {
  const applied = outcome.applied;
  await db
    .update(syncRuns)
    .set({
      status: outcome.status,
      finishedAt: new Date(),
      added: applied?.added ?? 0,
      changed: applied?.changed ?? 0,
      removed: applied?.removed ?? 0,
      unchanged: applied?.unchanged ?? 0,
      diff: applied?.diff ?? null,
      problems: outcome.problems,
      error: outcome.error ?? null,
    })
    .where(and(eq(syncRuns.organizationId, run.organizationId), eq(syncRuns.id, run.id)));
  if (!account) return outcome;

  const first = outcome.problems[0];
  const status =
    outcome.status === "succeeded" ? "active" : outcome.status === "partial" ? "partial" : "error";
  await db
    .update(cloudAccounts)
    .set({
      status,
      statusMessage: first ? first.message : null,
      ...(outcome.status === "failed" ? {} : { lastSyncedAt: new Date() }),
      nextSyncAt: sql`coalesce(${cloudAccounts.nextSyncAt}, now() + make_interval(secs => ${cloudAccounts.syncIntervalSeconds}))`,
    })
    .where(
      and(
        eq(cloudAccounts.organizationId, account.organizationId),
        eq(cloudAccounts.id, account.id),
      ),
    );
  return outcome;
}
