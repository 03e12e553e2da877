"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { api, type Page, query } from "@/src/ui/api.ts";
import { Button } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { AuditEvent, Member } from "@/src/ui/types.ts";

/**
 * Names a user actor by the member's email while they are a member; anyone else (an API key, an
 * enforcer, a person who has left) by type and id, which is what the log keeps.
 */
function actorOf(event: AuditEvent, members: readonly Member[]): string {
  const raw = `${event.actorType}:${event.actorId}`;
  if (event.actorType !== "user") return raw;
  return members.find((m) => m.userId === event.actorId)?.email ?? raw;
}

export default function AuditPage() {
  const orgId = useOrgId();
  const log = useInfiniteQuery({
    queryKey: ["org", orgId, "audit-log"],
    queryFn: ({ pageParam }) =>
      api<Page<AuditEvent>>(`/orgs/${orgId}/audit-log${query({ limit: 50, cursor: pageParam })}`),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const events = log.data?.pages.flatMap((p) => p.items) ?? [];
  const members = useOrgList<Member>("members").data?.items ?? [];

  return (
    <>
      <PageHeader
        title="Audit log"
        description="Every change in this organisation, newest first."
      />
      {log.isPending ? <Loading what="the audit log" /> : null}
      <ErrorBox error={log.error} />
      {log.isSuccess && events.length === 0 ? <Empty title="Nothing has changed yet." /> : null}
      {events.length ? (
        <Table head={["When", "Actor", "Action", "Target", "Request id"]}>
          {events.map((e) => (
            <tr key={e.id}>
              <Td>{when(e.createdAt)}</Td>
              <Td mono>
                <span title={`${e.actorType}:${e.actorId}`}>{actorOf(e, members)}</span>
              </Td>
              <Td>{e.action}</Td>
              <Td mono>
                {e.targetType}:{e.targetId}
              </Td>
              <Td mono>{e.requestId ?? "—"}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
      {log.hasNextPage ? (
        <Button tone="secondary" className="mt-3" onClick={() => void log.fetchNextPage()}>
          Load more
        </Button>
      ) : null}
    </>
  );
}
