"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { api, type Page, query } from "@/src/ui/api.ts";
import { Button } from "@/src/ui/components/controls.tsx";
import { ActionBadge } from "@/src/ui/components/decision.tsx";
import {
  EventFilterForm,
  type EventFilters,
  instantOf,
  NO_FILTERS,
} from "@/src/ui/components/event-filters.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import { destinationOf, type StoredEvent } from "@/src/ui/report.ts";

const PAGE_SIZE = 25;

export default function EventsPage() {
  const orgId = useOrgId();
  const [filters, setFilters] = useState<EventFilters>(NO_FILTERS);
  const params = { ...filters, from: instantOf(filters.from), to: instantOf(filters.to) };
  const list = useInfiniteQuery({
    queryKey: ["org", orgId, "events", params],
    queryFn: ({ pageParam }) =>
      api<Page<StoredEvent>>(
        `/orgs/${orgId}/events${query({ ...params, limit: PAGE_SIZE, cursor: pageParam })}`,
      ),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    enabled: orgId !== "",
  });
  const events = list.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title="Events"
        description="Every decision the enforcers reported, newest first. Open one to see why."
      />
      <Card>
        <EventFilterForm onApply={setFilters} />
      </Card>
      {list.isPending ? <Loading what="events" /> : null}
      <ErrorBox error={list.error} />
      {list.isSuccess && events.length === 0 ? (
        <Empty title="No event matches these filters.">
          Widen the time range or clear the filters; enforcers report events as they decide.
        </Empty>
      ) : null}
      {events.length ? (
        <>
          <p className="mb-2 text-sm text-slate-600 dark:text-slate-400" data-testid="event-count">
            {events.length} events shown{list.hasNextPage ? ", more available" : ""}
          </p>
          <Table head={["Time", "Action", "Kind", "Source", "Destination", "Rule", "Enforcer"]}>
            {events.map((e) => (
              <tr key={e.id}>
                <Td>
                  <Link
                    className="text-sky-700 underline dark:text-sky-400"
                    href={`/orgs/${orgId}/events/${e.id}`}
                  >
                    {when(e.time)}
                  </Link>
                </Td>
                <Td>
                  <ActionBadge action={e.action} />
                </Td>
                <Td>{e.kind}</Td>
                <Td mono>{e.srcIp}</Td>
                <Td mono>{destinationOf(e)}</Td>
                <Td mono>{e.ruleId ?? "default"}</Td>
                <Td mono>{e.enforcerId}</Td>
              </tr>
            ))}
          </Table>
        </>
      ) : null}
      {list.hasNextPage ? (
        <Button
          tone="secondary"
          className="mt-3"
          disabled={list.isFetchingNextPage}
          onClick={() => void list.fetchNextPage()}
        >
          Load more
        </Button>
      ) : null}
    </>
  );
}
