"use client";

import Link from "next/link";
import { ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader } from "@/src/ui/components/layout.tsx";
import { useMe, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { Bundle, CloudAccount, Enforcer, InventoryItem } from "@/src/ui/types.ts";

function Stat({ label, value, href }: { label: string; value: string; href: string }) {
  return (
    <Link
      href={href}
      className="rounded-lg border border-slate-200 bg-white p-4 hover:border-sky-400 dark:border-slate-700 dark:bg-slate-900"
    >
      <p className="text-sm text-slate-500 dark:text-slate-400">{label}</p>
      <p className="mt-1 text-2xl font-semibold">{value}</p>
    </Link>
  );
}

/** Counts shown as "200+" when the first page is full, since the API pages at 200. */
function count(page: { items: unknown[]; nextCursor: string | null } | undefined): string {
  if (!page) return "…";
  return page.nextCursor ? `${page.items.length}+` : String(page.items.length);
}

export default function OverviewPage() {
  const orgId = useOrgId();
  const me = useMe();
  const org = me.data?.organizations.find((o) => o.id === orgId);
  const accounts = useOrgList<CloudAccount>("accounts");
  const assets = useOrgList<InventoryItem>("inventory");
  const enforcers = useOrgList<Enforcer>("enforcers");
  const bundles = useOrgList<Bundle>("bundles");
  const base = `/orgs/${orgId}`;
  const drifting = enforcers.data?.items.filter((e) => e.drift && !e.revokedAt).length ?? 0;
  const error = accounts.error ?? assets.error ?? enforcers.error ?? bundles.error;

  return (
    <>
      <PageHeader title={org?.name ?? "Organisation"} description="Discover, deploy, defend." />
      <ErrorBox error={error} />
      {accounts.isPending ? <Loading what="the overview" /> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-4">
        <Stat label="Cloud accounts" value={count(accounts.data)} href={`${base}/accounts`} />
        <Stat label="Assets" value={count(assets.data)} href={`${base}/inventory`} />
        <Stat label="Enforcers" value={count(enforcers.data)} href={`${base}/enforcers`} />
        <Stat
          label="Published policy"
          value={bundles.data?.items[0] ? `v${bundles.data.items[0].version}` : "none"}
          href={`${base}/policy`}
        />
      </div>
      {drifting > 0 ? (
        <Card title="Attention">
          <p className="text-sm">
            {drifting} enforcer(s) run an older policy than the latest published version.{" "}
            <Link className="text-sky-700 underline dark:text-sky-400" href={`${base}/enforcers`}>
              Review enforcers
            </Link>
          </p>
        </Card>
      ) : null}
      {accounts.data && accounts.data.items.length === 0 ? (
        <Card title="Get started">
          <p className="text-sm">
            Connect a cloud account to build the inventory your policies are written against.{" "}
            <Link
              className="text-sky-700 underline dark:text-sky-400"
              href={`${base}/accounts/new`}
            >
              Onboard an account
            </Link>
          </p>
        </Card>
      ) : null}
    </>
  );
}
