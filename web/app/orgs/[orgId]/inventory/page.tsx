"use client";

import Link from "next/link";
import { useState } from "react";
import { SelectField, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { PageHeader, Table, Td } from "@/src/ui/components/layout.tsx";
import { useInventory, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import { type AssetFilters, distinct, filterAssets, NO_FILTERS } from "@/src/ui/inventory.ts";
import type { CloudAccount } from "@/src/ui/types.ts";

const any = (values: string[], label = (v: string) => v) => [
  { value: "", label: "any" },
  ...values.map((v) => ({ value: v, label: label(v) })),
];

export default function InventoryPage() {
  const orgId = useOrgId();
  const inventory = useInventory();
  const accounts = useOrgList<CloudAccount>("accounts");
  const [filters, setFilters] = useState<AssetFilters>(NO_FILTERS);
  const items = inventory.data ?? [];
  const shown = filterAssets(items, filters);
  const accountName = (id: string) => accounts.data?.items.find((a) => a.id === id)?.name ?? id;
  const set = (key: keyof AssetFilters) => (event: { target: { value: string } }) =>
    setFilters({ ...filters, [key]: event.target.value });

  return (
    <>
      <PageHeader
        title="Inventory"
        description="Every asset discovered or imported, with its tags and native attributes."
      />
      <div className="mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6">
        <TextField
          label="Search"
          type="search"
          placeholder="name, id, address, tag"
          value={filters.search}
          onChange={set("search")}
        />
        <SelectField
          label="Provider"
          options={any(distinct(items, (i) => i.asset.provider))}
          value={filters.provider}
          onChange={set("provider")}
        />
        <SelectField
          label="Kind"
          options={any(distinct(items, (i) => i.asset.kind))}
          value={filters.kind}
          onChange={set("kind")}
        />
        <SelectField
          label="Region"
          options={any(distinct(items, (i) => i.asset.region))}
          value={filters.region}
          onChange={set("region")}
        />
        <SelectField
          label="Account"
          options={any(
            distinct(items, (i) => i.accountId),
            accountName,
          )}
          value={filters.accountId}
          onChange={set("accountId")}
        />
        <TextField
          label="Tag"
          placeholder="key or key=value"
          value={filters.tag}
          onChange={set("tag")}
        />
      </div>
      {inventory.isPending ? <Loading what="the inventory" /> : null}
      <ErrorBox error={inventory.error} />
      {inventory.isSuccess && items.length === 0 ? (
        <Empty title="No assets yet.">
          <Link
            className="text-sky-700 underline dark:text-sky-400"
            href={`/orgs/${orgId}/accounts`}
          >
            Onboard or import an account
          </Link>
        </Empty>
      ) : null}
      {items.length ? (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="asset-count">
            {shown.length} of {items.length} assets
          </p>
          <Table head={["Name", "Kind", "Provider", "Region", "Private", "Tags"]}>
            {shown.map((item) => (
              <tr key={item.id}>
                <Td>
                  <Link
                    className="text-sky-700 underline dark:text-sky-400"
                    href={`/orgs/${orgId}/inventory/${item.id}`}
                  >
                    {item.asset.name ?? item.asset.id}
                  </Link>
                </Td>
                <Td>{item.asset.kind}</Td>
                <Td>{item.asset.provider}</Td>
                <Td>{item.asset.region}</Td>
                <Td mono>{item.asset.addresses.private.join(", ")}</Td>
                <Td mono>
                  {Object.entries(item.asset.tags)
                    .map(([k, v]) => `${k}=${v}`)
                    .join(" ")}
                </Td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
    </>
  );
}
