"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { ContainingObjects } from "@/src/ui/components/containing-objects.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { useInventory, useOrgId } from "@/src/ui/hooks.ts";

function Pairs({ entries, empty }: { entries: [string, string][]; empty: string }) {
  if (entries.length === 0) return <Empty title={empty} />;
  return (
    <Table head={["Key", "Value"]}>
      {entries.map(([k, v]) => (
        <tr key={k}>
          <Td mono>{k}</Td>
          <Td mono>{v}</Td>
        </tr>
      ))}
    </Table>
  );
}

export default function AssetPage() {
  const orgId = useOrgId();
  const { itemId } = useParams<{ itemId: string }>();
  const inventory = useInventory();
  if (inventory.isPending) return <Loading what="the asset" />;
  if (inventory.error) return <ErrorBox error={inventory.error} />;
  const item = inventory.data.find((i) => i.id === itemId);
  if (!item) {
    return (
      <Empty title="This asset is not in the inventory any more.">
        <Link
          className="text-sky-700 underline dark:text-sky-400"
          href={`/orgs/${orgId}/inventory`}
        >
          Back to the inventory
        </Link>
      </Empty>
    );
  }
  const a = item.asset;
  const attributes = Object.entries(a.attributes).map(([k, v]): [string, string] => [
    k,
    Array.isArray(v) ? v.join(", ") : v,
  ]);

  return (
    <>
      <PageHeader
        title={a.name ?? a.id}
        description={`${a.provider} ${a.kind} in ${a.account} / ${a.region}${a.zone ? ` (${a.zone})` : ""}`}
      />
      <Card title="Identity">
        <dl className="grid gap-1 text-sm sm:grid-cols-[10rem_1fr]">
          <dt className="text-slate-500">Cloud id</dt>
          <dd className="break-all font-mono">{a.id}</dd>
          <dt className="text-slate-500">State</dt>
          <dd>{a.state ?? "—"}</dd>
          <dt className="text-slate-500">Private addresses</dt>
          <dd className="font-mono">{a.addresses.private.join(", ") || "—"}</dd>
          <dt className="text-slate-500">Public addresses</dt>
          <dd className="font-mono">{a.addresses.public.join(", ") || "—"}</dd>
          <dt className="text-slate-500">Updated</dt>
          <dd>{when(item.updatedAt)}</dd>
        </dl>
      </Card>
      <Card title="Tags">
        <Pairs entries={Object.entries(a.tags)} empty="No tags." />
      </Card>
      <Card title="Attributes">
        <Pairs entries={attributes} empty="No attributes." />
      </Card>
      <Card title="Address objects containing it">
        <ContainingObjects asset={a} />
      </Card>
    </>
  );
}
