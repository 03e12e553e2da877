"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { api } from "@/src/ui/api.ts";
import { AwsSetup } from "@/src/ui/components/aws-setup.tsx";
import { Button } from "@/src/ui/components/controls.tsx";
import { ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { ImportFiles } from "@/src/ui/components/import-files.tsx";
import { Card, PageHeader, when } from "@/src/ui/components/layout.tsx";
import { StatusBadge } from "@/src/ui/components/status.tsx";
import { SyncHistory } from "@/src/ui/components/sync-history.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import type { CloudAccount, SyncRun } from "@/src/ui/types.ts";

function SyncPanel({ account }: { account: CloudAccount }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const sync = useMutation({
    mutationFn: () =>
      api<SyncRun>(`/orgs/${orgId}/accounts/${account.id}/sync`, { method: "POST", body: {} }),
    onSuccess: () =>
      queryClient.invalidateQueries({
        queryKey: ["org", orgId, "account", account.id, "sync-runs"],
      }),
  });
  return (
    <Card title="Sync">
      <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">
        Ringfence syncs every {Math.round(account.syncIntervalSeconds / 60)} minutes. A first sync
        verifies that the role or credential works; the status below names any fix.
      </p>
      <Button onClick={() => sync.mutate()} disabled={sync.isPending}>
        Sync now
      </Button>
      <div className="mt-3">
        <ErrorBox error={sync.error} />
        {sync.data ? (
          <p className="text-sm" data-testid="sync-queued">
            Queued <code>{sync.data.id}</code>; its outcome appears in the sync history below.
          </p>
        ) : null}
      </div>
    </Card>
  );
}

export default function AccountPage() {
  const orgId = useOrgId();
  const { accountId } = useParams<{ accountId: string }>();
  const account = useQuery({
    queryKey: ["org", orgId, "account", accountId],
    queryFn: () => api<CloudAccount>(`/orgs/${orgId}/accounts/${accountId}`),
    // A sync runs in the background; polling shows its outcome without a reload.
    refetchInterval: 5000,
  });

  if (account.isPending) return <Loading what="the account" />;
  if (account.error) return <ErrorBox error={account.error} />;
  const a = account.data;

  return (
    <>
      <PageHeader
        title={a.name}
        description={`${a.provider.toUpperCase()} ${a.cloudAccountId}${a.offline ? " · offline (import only)" : ""}`}
      />
      <Card title="Status">
        <p className="flex items-center gap-2 text-sm">
          <StatusBadge status={a.status} /> Last synced {when(a.lastSyncedAt)}
        </p>
        {a.statusMessage ? (
          <p
            className="mt-2 text-sm text-slate-700 dark:text-slate-300"
            data-testid="status-message"
          >
            {a.statusMessage}
          </p>
        ) : null}
      </Card>
      {a.provider === "aws" && !a.offline ? <AwsSetup account={a} /> : null}
      {a.offline ? null : <SyncPanel account={a} />}
      <Card title="Import inventory files">
        <ImportFiles orgId={orgId} accountId={a.id} />
      </Card>
      <Card title="Sync history">
        <SyncHistory accountId={a.id} />
      </Card>
    </>
  );
}
