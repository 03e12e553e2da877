"use client";

import { useMutation } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId, useOrgList } from "../hooks.ts";
import type { Bundle } from "../types.ts";
import { Button } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Table, Td, when } from "./layout.tsx";

/** Signed bundles, newest first; a rollback republishes old content as a new version. */
export function Bundles() {
  const orgId = useOrgId();
  const bundles = useOrgList<Bundle>("bundles");
  const rollback = useMutation({
    mutationFn: (version: number) =>
      api<Bundle>(`/orgs/${orgId}/bundles/${version}/rollback`, { method: "POST", body: {} }),
  });
  if (bundles.isPending) return <Loading what="bundles" />;
  if (bundles.error) return <ErrorBox error={bundles.error} />;
  if (bundles.data.items.length === 0) return <Empty title="Nothing has been published yet." />;
  const latest = bundles.data.items[0]?.version;
  return (
    <>
      <ErrorBox error={rollback.error} />
      <Table head={["Version", "Hash", "Key", "Published", ""]}>
        {bundles.data.items.map((b) => (
          <tr key={b.id}>
            <Td>
              v{b.version} {b.rollbackOf ? <Badge>rollback of v{b.rollbackOf}</Badge> : null}{" "}
              {b.handover ? <Badge tone="warn">key handover</Badge> : null}
            </Td>
            <Td mono>{b.hash.slice(0, 16)}…</Td>
            <Td mono>{b.keyId}</Td>
            <Td>{when(b.createdAt)}</Td>
            <Td>
              {b.version === latest ? (
                <Badge tone="good">running</Badge>
              ) : (
                <Button tone="secondary" onClick={() => rollback.mutate(b.version)}>
                  Roll back to v{b.version}
                </Button>
              )}
            </Td>
          </tr>
        ))}
      </Table>
    </>
  );
}
