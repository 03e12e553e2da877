"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useParams } from "next/navigation";
import { api } from "@/src/ui/api.ts";
import { ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { PageHeader } from "@/src/ui/components/layout.tsx";
import { ObjectEditor } from "@/src/ui/components/object-editor.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import type { AddressObject } from "@/src/ui/types.ts";

export default function ObjectPage() {
  const orgId = useOrgId();
  const { objectId } = useParams<{ objectId: string }>();
  const path = `/orgs/${orgId}/objects/${objectId}`;
  const object = useQuery({
    queryKey: ["org", orgId, "object", objectId],
    queryFn: () => api<{ item: AddressObject; revision: number }>(path),
  });
  const save = useMutation({
    mutationFn: (item: AddressObject) =>
      api<{ item: AddressObject }>(path, { method: "PUT", body: item }),
  });

  if (object.isPending) return <Loading what="the object" />;
  if (object.error) return <ErrorBox error={object.error} />;
  return (
    <>
      <PageHeader
        title={object.data.item.id}
        description={`Draft revision ${object.data.revision}`}
      />
      {save.isSuccess ? (
        <p role="note" className="mb-3 text-sm text-emerald-700 dark:text-emerald-300">
          Saved to the draft.
        </p>
      ) : null}
      <ObjectEditor
        key={`${object.data.revision}`}
        initial={object.data.item}
        onSave={(item) => save.mutate(item)}
        saving={save.isPending}
        error={save.error}
        canSave
      />
    </>
  );
}
