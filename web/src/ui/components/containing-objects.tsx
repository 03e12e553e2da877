"use client";

import Link from "next/link";
import { useHasApi, useOrgId, useOrgList } from "../hooks.ts";
import { containingObjects } from "../selector.ts";
import type { AddressObject, Asset } from "../types.ts";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";

/** The draft's address objects that take in this asset: dynamic ones and groups of them. */
export function ContainingObjects({ asset }: { asset: Asset }) {
  const served = useHasApi("/api/v1/orgs/{orgId}/objects");
  if (served === undefined) return <Loading what="address objects" />;
  if (!served) {
    return <Empty title="Address objects are not served by this deployment yet." />;
  }
  return <Containing asset={asset} />;
}

function Containing({ asset }: { asset: Asset }) {
  const orgId = useOrgId();
  const objects = useOrgList<AddressObject>("objects");
  if (objects.isPending) return <Loading what="address objects" />;
  if (objects.error) return <ErrorBox error={objects.error} />;
  const containing = containingObjects(objects.data.items, asset);
  if (containing.length === 0)
    return <Empty title="No dynamic address object or group takes in this asset." />;
  return (
    <ul className="flex flex-wrap gap-2">
      {containing.map((o) => (
        <li key={o.id}>
          <Link
            href={`/orgs/${orgId}/objects/${encodeURIComponent(o.id)}`}
            className="rounded bg-sky-100 px-2 py-0.5 font-mono text-sm text-sky-900 dark:bg-sky-900 dark:text-sky-100"
          >
            {o.id}
          </Link>
        </li>
      ))}
    </ul>
  );
}
