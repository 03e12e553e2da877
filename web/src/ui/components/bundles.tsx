"use client";

import { useOrgList } from "../hooks.ts";
import type { Bundle } from "../types.ts";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Table, Td, when } from "./layout.tsx";

/**
 * Signed bundles, newest first: what enforcers verify and run. Rolling back is done from the
 * published versions, which also makes the draft the restored policy; a rollback shows here as
 * a new, higher bundle version carrying the old content.
 */
export function Bundles() {
  const bundles = useOrgList<Bundle>("bundles");
  if (bundles.isPending) return <Loading what="bundles" />;
  if (bundles.error) return <ErrorBox error={bundles.error} />;
  if (bundles.data.items.length === 0) return <Empty title="Nothing has been published yet." />;
  const latest = bundles.data.items[0]?.version;
  return (
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
          <Td>{b.version === latest ? <Badge tone="good">latest</Badge> : null}</Td>
        </tr>
      ))}
    </Table>
  );
}
