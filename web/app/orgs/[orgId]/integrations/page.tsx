"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, SelectField, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading, ShownOnce } from "@/src/ui/components/feedback.tsx";
import { IntegrationFields } from "@/src/ui/components/integration-fields.tsx";
import { Badge, Card, PageHeader, Table, Td } from "@/src/ui/components/layout.tsx";
import { newIdempotencyKey, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import {
  bodyOf,
  type CreatedIntegration,
  type Integration,
  type IntegrationKind,
  KINDS,
} from "@/src/ui/integrations.ts";

const BLANK = {
  name: "",
  target: "",
  minSeverity: "0",
  includeAudit: false,
  enabled: true,
  deadLetterMinutes: "1440",
};

/**
 * The secret each kind takes. It is write-only: sent when creating, stored sealed, and never
 * shown again; a webhook left without one gets a generated `whsec_…` shown once.
 */
function SecretField({
  kind,
  value,
  onChange,
}: {
  kind: IntegrationKind;
  value: string;
  onChange: (value: string) => void;
}) {
  if (kind === "syslog") return null;
  return (
    <TextField
      label={kind === "webhook" ? "Signing secret (optional)" : "HEC token"}
      type="password"
      autoComplete="off"
      required={kind === "splunk_hec"}
      value={value}
      hint={kind === "webhook" ? "Leave empty to have a whsec_… secret generated." : undefined}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

function CreateIntegration() {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<IntegrationKind>("webhook");
  const [settings, setSettings] = useState(BLANK);
  const [secret, setSecret] = useState("");
  const [key, setKey] = useState(newIdempotencyKey);
  const create = useMutation({
    mutationFn: () => {
      const credential = kind === "splunk_hec" ? { token: secret } : secret ? { secret } : {};
      return api<CreatedIntegration>(`/orgs/${orgId}/integrations`, {
        method: "POST",
        body: { kind, ...bodyOf(settings), ...credential },
        idempotencyKey: key,
      });
    },
    onSuccess: () => {
      setSettings(BLANK);
      setSecret("");
      setKey(newIdempotencyKey());
      void queryClient.invalidateQueries({ queryKey: ["org", orgId, "integrations"] });
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const hint = KINDS.find((k) => k.value === kind)?.target ?? "";

  return (
    <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-2">
      <SelectField
        label="Kind"
        options={KINDS}
        value={kind}
        onChange={(e) => setKind(e.target.value as IntegrationKind)}
      />
      <SecretField kind={kind} value={secret} onChange={setSecret} />
      <IntegrationFields value={settings} onChange={setSettings} targetHint={hint} />
      <div className="sm:col-span-2">
        <Button type="submit" disabled={create.isPending}>
          Add integration
        </Button>
      </div>
      <div className="sm:col-span-2">
        <ErrorBox error={create.error} />
        {create.data?.secret ? (
          <ShownOnce label={`Signing secret of ${create.data.name}`} value={create.data.secret} />
        ) : null}
      </div>
    </form>
  );
}

export default function IntegrationsPage() {
  const orgId = useOrgId();
  const list = useOrgList<Integration>("integrations");
  return (
    <>
      <PageHeader
        title="Integrations"
        description="Send every decision event (and optionally the audit log) as OCSF to a webhook, Splunk HEC or syslog, at least once."
      />
      <Card title="Add an integration">
        <CreateIntegration />
      </Card>
      <Card title="Integrations">
        {list.isPending ? <Loading what="integrations" /> : null}
        <ErrorBox error={list.error} />
        {list.data?.items.length === 0 ? (
          <Empty title="No integration yet.">Add one above to stream events to your SIEM.</Empty>
        ) : null}
        {list.data?.items.length ? (
          <Table head={["Name", "Kind", "Target", "Secret", "State"]}>
            {list.data.items.map((i) => (
              <tr key={i.id}>
                <Td>
                  <Link
                    className="text-sky-700 underline dark:text-sky-400"
                    href={`/orgs/${orgId}/integrations/${i.id}`}
                  >
                    {i.name}
                  </Link>
                </Td>
                <Td>{KINDS.find((k) => k.value === i.kind)?.label ?? i.kind}</Td>
                <Td mono>{i.target}</Td>
                <Td>{i.hasSecret ? "stored (write-only)" : "—"}</Td>
                <Td>{i.enabled ? <Badge tone="good">enabled</Badge> : <Badge>disabled</Badge>}</Td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
