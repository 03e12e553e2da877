"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useParams } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button } from "@/src/ui/components/controls.tsx";
import { AttemptLog, Deliveries } from "@/src/ui/components/delivery-log.tsx";
import { ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { IntegrationFields } from "@/src/ui/components/integration-fields.tsx";
import { Card, PageHeader } from "@/src/ui/components/layout.tsx";
import { SendTest } from "@/src/ui/components/send-test.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";
import {
  bodyOf,
  type Integration,
  type IntegrationSettings,
  KINDS,
  settingsOf,
} from "@/src/ui/integrations.ts";

function EditForm({ integration }: { integration: Integration }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [settings, setSettings] = useState<IntegrationSettings>(() => settingsOf(integration));
  const save = useMutation({
    mutationFn: () =>
      api<Integration>(`/orgs/${orgId}/integrations/${integration.id}`, {
        method: "PATCH",
        body: bodyOf(settings),
      }),
    onSuccess: (saved) => {
      queryClient.setQueryData(["org", orgId, "integrations", integration.id], saved);
      void queryClient.invalidateQueries({ queryKey: ["org", orgId, "integrations", {}] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const hint = KINDS.find((k) => k.value === integration.kind)?.target ?? "";

  return (
    <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2">
      <IntegrationFields value={settings} onChange={setSettings} targetHint={hint} />
      <div className="flex items-center gap-3 sm:col-span-2">
        <Button type="submit" disabled={save.isPending}>
          Save changes
        </Button>
        {save.isSuccess ? (
          <p role="status" className="text-sm">
            Saved.
          </p>
        ) : null}
      </div>
      <div className="sm:col-span-2">
        <ErrorBox error={save.error} />
      </div>
    </form>
  );
}

/** Queues the last day of stored events the integration never got (a resend that dedupes). */
function Backfill({ integrationId }: { integrationId: string }) {
  const orgId = useOrgId();
  const backfill = useMutation({
    mutationFn: () =>
      api<{ queued: number; capped: boolean }>(
        `/orgs/${orgId}/integrations/${integrationId}/backfill`,
        { method: "POST", body: { from: new Date(Date.now() - 86_400_000).toISOString() } },
      ),
  });
  return (
    <div className="flex flex-wrap items-center gap-3">
      <Button tone="secondary" onClick={() => backfill.mutate()} disabled={backfill.isPending}>
        Send the last 24 hours it has not had
      </Button>
      {backfill.data ? (
        <p role="status" className="text-sm" data-testid="backfilled">
          {backfill.data.queued} events queued{backfill.data.capped ? " (capped)" : ""}
        </p>
      ) : null}
      <ErrorBox error={backfill.error} />
    </div>
  );
}

export default function IntegrationPage() {
  const orgId = useOrgId();
  const { integrationId } = useParams<{ integrationId: string }>();
  const integration = useQuery({
    queryKey: ["org", orgId, "integrations", integrationId],
    queryFn: () => api<Integration>(`/orgs/${orgId}/integrations/${integrationId}`),
    enabled: orgId !== "",
  });

  return (
    <>
      <PageHeader
        title={integration.data?.name ?? "Integration"}
        description={
          integration.data
            ? `${KINDS.find((k) => k.value === integration.data.kind)?.label} · ${integration.data.hasSecret ? "secret stored (write-only)" : "no secret"}`
            : undefined
        }
        actions={
          <Link className="text-sm underline" href={`/orgs/${orgId}/integrations`}>
            All integrations
          </Link>
        }
      />
      {integration.isPending ? <Loading what="the integration" /> : null}
      <ErrorBox error={integration.error} />
      {integration.data ? (
        <>
          <Card title="Settings">
            <EditForm integration={integration.data} />
          </Card>
          <Card title="Test">
            <SendTest integrationId={integrationId} />
          </Card>
          <Card title="Backfill">
            <Backfill integrationId={integrationId} />
          </Card>
          <Card title="Delivery log">
            <AttemptLog integrationId={integrationId} />
          </Card>
          <Card title="Deliveries">
            <Deliveries integrationId={integrationId} />
          </Card>
        </>
      ) : null}
    </>
  );
}
