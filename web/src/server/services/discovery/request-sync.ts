import type { SyncRun } from "@ringfence/db";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { enqueueSync } from "../../discovery/sync/index.ts";
import { AppError } from "../../errors.ts";
import { getAccount } from "../accounts/get.ts";

/** A sync as the API shows it. */
export interface SyncRunDto {
  id: string;
  accountId: string;
  trigger: SyncRun["trigger"];
  status: SyncRun["status"];
  added: number;
  changed: number;
  removed: number;
  createdAt: string;
}

export const presentSyncRun = (run: SyncRun): SyncRunDto => ({
  id: run.id,
  accountId: run.accountId,
  trigger: run.trigger,
  status: run.status,
  added: run.added,
  changed: run.changed,
  removed: run.removed,
  createdAt: run.createdAt.toISOString(),
});

/** Queues an on-demand sync (or returns the one already open). Offline accounts refuse. */
export async function requestSync({
  ctx,
  input,
}: ServiceCall<OrgContext, { accountId: string }>): Promise<SyncRunDto> {
  const account = await getAccount({ ctx, input });
  if (account.offline) {
    throw new AppError(
      "conflict",
      "This account is offline (demo or import-only) and is never synced against a cloud; import files instead.",
    );
  }
  const run = await enqueueSync(ctx.db, {
    organizationId: ctx.organizationId,
    accountId: account.id,
    trigger: "manual",
  });
  return presentSyncRun(run);
}
