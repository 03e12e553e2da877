"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { api } from "@/src/ui/api.ts";
import { ActionBadge, DetectionTable, ReasonList } from "@/src/ui/components/decision.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader, when } from "@/src/ui/components/layout.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import { destinationOf, type EventDetail } from "@/src/ui/report.ts";

function Summary({ event }: { event: EventDetail }) {
  const http = event.event.http;
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-2 lg:grid-cols-4">
      {[
        ["Action", <ActionBadge key="a" action={event.action} />],
        ["Kind", event.kind],
        ["Time", when(event.time)],
        ["Received", when(event.receivedAt)],
        ["Source", <code key="s">{event.srcIp}</code>],
        ["Destination", <code key="d">{destinationOf(event)}</code>],
        ["Enforcer", <code key="e">{event.enforcerId}</code>],
        ["HTTP", http ? <code key="h">{`${http.method} ${http.url}`}</code> : "—"],
      ].map(([term, value]) => (
        <div key={String(term)}>
          <dt className="text-slate-500 dark:text-slate-400">{term}</dt>
          <dd className="break-all">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default function EventPage() {
  const orgId = useOrgId();
  const { eventId } = useParams<{ eventId: string }>();
  const event = useQuery({
    queryKey: ["org", orgId, "event", eventId],
    queryFn: () => api<EventDetail>(`/orgs/${orgId}/events/${eventId}`),
    enabled: orgId !== "",
  });

  return (
    <>
      <PageHeader
        title="Event"
        description={<code>{eventId}</code>}
        actions={
          <Link className="text-sm underline" href={`/orgs/${orgId}/events`}>
            All events
          </Link>
        }
      />
      {event.isPending ? <Loading what="the event" /> : null}
      <ErrorBox error={event.error} />
      {event.data ? (
        <>
          <Card>
            <Summary event={event.data} />
          </Card>
          <Card title="Why">
            <ReasonList orgId={orgId} reasons={event.data.reasons} />
          </Card>
          <Card title="Detections">
            {event.data.detections.length ? (
              <DetectionTable detections={event.data.detections} />
            ) : (
              <Empty title="No inspection detection on this event." />
            )}
          </Card>
          <Card title="OCSF (as sent to integrations)">
            <pre
              data-testid="ocsf-json"
              className="max-h-[32rem] overflow-auto rounded bg-slate-100 p-3 text-xs dark:bg-slate-800"
            >
              {JSON.stringify(event.data.ocsf, null, 2)}
            </pre>
          </Card>
        </>
      ) : null}
    </>
  );
}
