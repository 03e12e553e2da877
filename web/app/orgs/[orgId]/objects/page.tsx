"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { api } from "@/src/ui/api.ts";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader, Table, Td } from "@/src/ui/components/layout.tsx";
import { ObjectEditor } from "@/src/ui/components/object-editor.tsx";
import { useHasApi, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { AddressObject } from "@/src/ui/types.ts";

const OBJECTS_API = "/api/v1/orgs/{orgId}/objects";

function summary(o: AddressObject): string {
  if (o.kind === "dynamic") return o.selector;
  if (o.kind === "static") return o.addresses.join(", ");
  if (o.kind === "fqdn") return o.fqdns.join(", ");
  return `include ${o.include.join(", ")}`;
}

function ObjectList() {
  const orgId = useOrgId();
  const objects = useOrgList<AddressObject>("objects");
  if (objects.isPending) return <Loading what="address objects" />;
  if (objects.error) return <ErrorBox error={objects.error} />;
  if (objects.data.items.length === 0)
    return <Empty title="The draft policy has no address objects yet." />;
  return (
    <Table head={["Id", "Kind", "Definition"]}>
      {objects.data.items.map((o) => (
        <tr key={o.id}>
          <Td>
            <Link
              className="font-mono text-sky-700 underline dark:text-sky-400"
              href={`/orgs/${orgId}/objects/${encodeURIComponent(o.id)}`}
            >
              {o.id}
            </Link>
          </Td>
          <Td>{o.kind}</Td>
          <Td mono>{summary(o)}</Td>
        </tr>
      ))}
    </Table>
  );
}

export default function ObjectsPage() {
  const orgId = useOrgId();
  const router = useRouter();
  const served = useHasApi(OBJECTS_API);
  const create = useMutation({
    mutationFn: (item: AddressObject) =>
      api<{ item: AddressObject }>(`/orgs/${orgId}/objects`, { method: "POST", body: item }),
    onSuccess: (saved) =>
      router.push(`/orgs/${orgId}/objects/${encodeURIComponent(saved.item.id)}`),
  });
  return (
    <>
      <PageHeader
        title="Address objects"
        description="Who rules speak about: dynamic objects select assets by tags and attributes, so policy follows workloads as they change."
      />
      {served === undefined ? <Loading what="the policy API" /> : null}
      {served ? (
        <Card title="In the draft policy">
          <ObjectList />
        </Card>
      ) : served === false ? (
        <p className="mb-4 text-sm text-amber-800 dark:text-amber-200">
          This deployment does not serve the policy API yet: selectors can be written and previewed
          against the inventory, but not saved.
        </p>
      ) : null}
      <ObjectEditor
        initial={null}
        onSave={(item) => create.mutate(item)}
        saving={create.isPending}
        error={create.error}
        canSave={served === true}
      />
    </>
  );
}
