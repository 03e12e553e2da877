"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import type { Attempt, Delivery, DeliveryState } from "../integrations.ts";
import { Button, SelectField } from "./controls.tsx";
import { Empty, ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Table, Td, when } from "./layout.tsx";
import { Pager, useCursorPages } from "./pager.tsx";

/** Rows per page of the delivery log and of the deliveries. */
const PAGE_SIZE = 20;

const STATES = [
  { value: "dead", label: "Dead-lettered" },
  { value: "pending", label: "Pending" },
  { value: "delivered", label: "Delivered" },
];

/** Deliveries in one state; dead-lettered ones can be put back in the queue. */
export function Deliveries({ integrationId }: { integrationId: string }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [state, setState] = useState<DeliveryState>("dead");
  const base = `/orgs/${orgId}/integrations/${integrationId}`;
  const pages = useCursorPages<Delivery>({
    key: ["org", orgId, "integrations", integrationId, "deliveries", state],
    path: `${base}/deliveries`,
    params: { state },
    limit: PAGE_SIZE,
    // Deliveries change state on their own (retried, delivered, dead-lettered): the newest page
    // follows them, so a replay's outcome shows without a reload.
    refetchInterval: 5_000,
  });
  const list = pages.page;
  const replay = useMutation({
    mutationFn: () => api<{ replayed: number }>(`${base}/replay`, { method: "POST", body: {} }),
    onSuccess: () =>
      queryClient.invalidateQueries({ queryKey: ["org", orgId, "integrations", integrationId] }),
  });

  return (
    <div className="flex flex-col gap-3">
      <div className="flex flex-wrap items-end gap-3">
        <SelectField
          label="Deliveries"
          options={STATES}
          value={state}
          onChange={(e) => setState(e.target.value as DeliveryState)}
        />
        {state === "dead" && list.data?.items.length ? (
          <Button onClick={() => replay.mutate()} disabled={replay.isPending}>
            Replay dead-lettered
          </Button>
        ) : null}
        {replay.data ? (
          <p role="status" className="text-sm" data-testid="replayed">
            {replay.data.replayed} requeued
          </p>
        ) : null}
      </div>
      <ErrorBox error={list.error ?? replay.error} />
      {list.isPending ? <Loading what="deliveries" /> : null}
      {list.data?.items.length === 0 ? <Empty title={`No ${state} delivery.`} /> : null}
      {list.data?.items.length ? (
        <Table head={["Id", "What", "Attempts", "Last error", "Created", "Delivered"]}>
          {list.data.items.map((d) => (
            <tr key={d.id}>
              <Td mono>{d.id}</Td>
              <Td mono>{d.eventId ? `event ${d.eventId}` : `audit ${d.auditId ?? "—"}`}</Td>
              <Td>{d.attempts}</Td>
              <Td>{d.lastError ?? "—"}</Td>
              <Td>{when(d.createdAt)}</Td>
              <Td>{when(d.deliveredAt)}</Td>
            </tr>
          ))}
        </Table>
      ) : null}
      <Pager label="Delivery pages" pages={pages} />
    </div>
  );
}

/** The delivery log: one line per attempt, newest first. */
export function AttemptLog({ integrationId }: { integrationId: string }) {
  const orgId = useOrgId();
  const pages = useCursorPages<Attempt>({
    key: ["org", orgId, "integrations", integrationId, "attempts"],
    path: `/orgs/${orgId}/integrations/${integrationId}/attempts`,
    limit: PAGE_SIZE,
    // The newest page follows new attempts; older pages stay still while read.
    refetchInterval: 5_000,
  });
  const log = pages.page;
  if (log.isPending) return <Loading what="the delivery log" />;
  if (log.error) return <ErrorBox error={log.error} />;
  if (log.data.items.length === 0) {
    return <Empty title="Nothing sent yet.">Attempts appear here as events arrive.</Empty>;
  }
  return (
    <div className="flex flex-col gap-3">
      <Table head={["When", "Outcome", "Events", "Status", "Took", "Error"]}>
        {log.data.items.map((a) => (
          <tr key={a.id}>
            <Td>{when(a.createdAt)}</Td>
            <Td>
              <Badge
                tone={a.outcome === "delivered" ? "good" : a.outcome === "failed" ? "warn" : "bad"}
              >
                {a.outcome}
              </Badge>
            </Td>
            <Td>{a.items}</Td>
            <Td>{a.statusCode ?? "—"}</Td>
            <Td>{a.durationMs} ms</Td>
            <Td>{a.error ?? "—"}</Td>
          </tr>
        ))}
      </Table>
      <Pager label="Delivery log pages" pages={pages} />
    </div>
  );
}
