"use client";

import Link from "next/link";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { StatusBadge } from "@/src/ui/components/status.tsx";
import { useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { CloudAccount } from "@/src/ui/types.ts";

export default function AccountsPage() {
  const orgId = useOrgId();
  const accounts = useOrgList<CloudAccount>("accounts");
  const add = (
    <Link
      href={`/orgs/${orgId}/accounts/new`}
      className="rounded-md bg-sky-700 px-3 py-1.5 text-sm font-medium text-white hover:bg-sky-800 dark:bg-sky-600"
    >
      Onboard an account
    </Link>
  );

  return (
    <>
      <PageHeader
        title="Cloud accounts"
        description="AWS accounts, Azure subscriptions and GCP projects Ringfence discovers."
        actions={add}
      />
      {accounts.isPending ? <Loading what="accounts" /> : null}
      <ErrorBox error={accounts.error} />
      {accounts.data?.items.length === 0 ? (
        <Empty title="No cloud accounts yet.">{add}</Empty>
      ) : null}
      {accounts.data?.items.length ? (
        <Table head={["Name", "Provider", "Account", "Status", "Last synced"]}>
          {accounts.data.items.map((a) => (
            <tr key={a.id}>
              <Td>
                <Link
                  className="text-sky-700 underline dark:text-sky-400"
                  href={`/orgs/${orgId}/accounts/${a.id}`}
                >
                  {a.name}
                </Link>
              </Td>
              <Td>
                {a.provider.toUpperCase()}
                {a.offline ? " (offline)" : ""}
              </Td>
              <Td mono>{a.cloudAccountId}</Td>
              <Td>
                <StatusBadge status={a.status} />
              </Td>
              <Td>{when(a.lastSyncedAt)}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </>
  );
}
