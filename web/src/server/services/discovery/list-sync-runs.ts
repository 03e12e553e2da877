import { type SyncRun, syncRuns } from "@ringfence/db";
import { and, desc, eq, lt } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import type { DiscoveryProblem } from "../../discovery/types.ts";
import { decodeCursor, type Page, type PageInput, toPage } from "../../http/pagination.ts";
import { getAccount } from "../accounts/get.ts";
import { presentSyncRun, type SyncRunDto } from "./request-sync.ts";

/** A finished or open sync with what it changed (cloud ids) and what it could not read. */
export interface SyncRunDetailDto extends SyncRunDto {
  unchanged: number;
  startedAt: string | null;
  finishedAt: string | null;
  diff: { added: string[]; changed: string[]; removed: string[] } | null;
  problems: DiscoveryProblem[];
  error: string | null;
}

function presentDetail(run: SyncRun): SyncRunDetailDto {
  return {
    ...presentSyncRun(run),
    unchanged: run.unchanged,
    startedAt: run.startedAt?.toISOString() ?? null,
    finishedAt: run.finishedAt?.toISOString() ?? null,
    diff: (run.diff as SyncRunDetailDto["diff"]) ?? null,
    problems: (run.problems as DiscoveryProblem[]) ?? [],
    error: run.error,
  };
}

/** An account's syncs and imports, newest first, each with its diff by cloud id. */
export async function listSyncRuns({
  ctx,
  input,
}: ServiceCall<OrgContext, PageInput & { accountId: string }>): Promise<Page<SyncRunDetailDto>> {
  const account = await getAccount({ ctx, input });
  const after = decodeCursor(input.cursor);
  const rows = await ctx.db
    .select()
    .from(syncRuns)
    .where(
      and(
        eq(syncRuns.organizationId, ctx.organizationId),
        eq(syncRuns.accountId, account.id),
        after ? lt(syncRuns.id, after) : undefined,
      ),
    )
    .orderBy(desc(syncRuns.id))
    .limit(input.limit + 1);
  return toPage(rows.map(presentDetail), input.limit);
}
