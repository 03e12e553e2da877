"use client";

import { useOrgId } from "../hooks.ts";
import type { SyncRunDetail } from "../types.ts";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Table, Td, when } from "./layout.tsx";
import { Pager, useCursorPages } from "./pager.tsx";
import { StatusBadge } from "./status.tsx";

const DIFF_SIGNS = [
  ["added", "+"],
  ["changed", "~"],
  ["removed", "−"],
] as const;

/** The cloud ids a run added, changed and removed, one line each, or why there is no diff. */
function RunDiff({ run }: { run: SyncRunDetail }) {
  if (run.error) return <span className="text-rose-700 dark:text-rose-300">{run.error}</span>;
  if (!run.diff) return <span>—</span>;
  const lines = DIFF_SIGNS.flatMap(([kind, sign]) =>
    (run.diff?.[kind] ?? []).map((id) => ({ kind, sign, id })),
  );
  if (lines.length === 0) return <span>no change</span>;
  return (
    <ul className="flex flex-col gap-0.5 font-mono text-xs">
      {lines.map((line) => (
        <li key={`${line.kind}-${line.id}`} data-diff={line.kind}>
          {line.sign} {line.id}
        </li>
      ))}
    </ul>
  );
}

/** An account's syncs and imports, newest first, each with its diff and any problem. */
export function SyncHistory({ accountId }: { accountId: string }) {
  const orgId = useOrgId();
  const pages = useCursorPages<SyncRunDetail>({
    key: ["org", orgId, "account", accountId, "sync-runs"],
    path: `/orgs/${orgId}/accounts/${accountId}/sync-runs`,
    limit: 10,
    refetchInterval: 5000,
  });
  const { page } = pages;
  if (page.isPending) return <Loading what="the sync history" />;
  if (page.error) return <ErrorBox error={page.error} />;
  if (page.data.items.length === 0) {
    return <Empty title="No sync or import yet.">Verify the role, sync, or import files.</Empty>;
  }
  return (
    <div className="flex flex-col gap-3">
      <Table head={["When", "Trigger", "Status", "Added", "Changed", "Removed", "Diff"]}>
        {page.data.items.map((run) => (
          <tr key={run.id}>
            <Td>{when(run.createdAt)}</Td>
            <Td>{run.trigger}</Td>
            <Td>
              <StatusBadge status={run.status} />
            </Td>
            <Td>+{run.added}</Td>
            <Td>~{run.changed}</Td>
            <Td>−{run.removed}</Td>
            <Td>
              <RunDiff run={run} />
              {run.problems.map((p) => (
                <p key={`${p.scope}-${p.code}`} className="text-xs text-amber-700">
                  {p.message}
                </p>
              ))}
            </Td>
          </tr>
        ))}
      </Table>
      <Pager label="Sync history pages" pages={pages} />
    </div>
  );
}
