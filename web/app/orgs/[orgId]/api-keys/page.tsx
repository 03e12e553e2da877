"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, ConfirmButton, SelectField, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading, ShownOnce } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { newIdempotencyKey, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { ApiKey } from "@/src/ui/types.ts";

const SCOPES = [
  { value: "read", label: "read (acts as viewer)" },
  { value: "write", label: "write (acts as editor)" },
];

function CreateKey() {
  const orgId = useOrgId();
  const [name, setName] = useState("");
  const [scope, setScope] = useState("read");
  const [key, setKey] = useState(newIdempotencyKey);
  const create = useMutation({
    mutationFn: () =>
      api<{ apiKey: ApiKey; secret: string | null }>(`/orgs/${orgId}/api-keys`, {
        method: "POST",
        body: { name, scope },
        idempotencyKey: key,
      }),
    onSuccess: () => {
      setName("");
      setKey(newIdempotencyKey());
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
      <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
      <SelectField
        label="Scope"
        options={SCOPES}
        value={scope}
        onChange={(e) => setScope(e.target.value)}
      />
      <Button type="submit" disabled={create.isPending}>
        Create key
      </Button>
      <div className="sm:col-span-3">
        <ErrorBox error={create.error} />
        {create.data?.secret ? <ShownOnce label="API key" value={create.data.secret} /> : null}
      </div>
    </form>
  );
}

export default function ApiKeysPage() {
  const orgId = useOrgId();
  const keys = useOrgList<ApiKey>("api-keys");
  const revoke = useMutation({
    mutationFn: (id: string) => api<ApiKey>(`/orgs/${orgId}/api-keys/${id}`, { method: "DELETE" }),
  });
  return (
    <>
      <PageHeader
        title="API keys"
        description="Keys authenticate the CLI and automation as `Authorization: Bearer rfk_…`. The secret is shown once."
      />
      <Card title="New key">
        <CreateKey />
      </Card>
      <Card title="Keys">
        {keys.isPending ? <Loading what="API keys" /> : null}
        <ErrorBox error={keys.error ?? revoke.error} />
        {keys.data?.items.length === 0 ? <Empty title="No API keys yet." /> : null}
        {keys.data?.items.length ? (
          <Table head={["Name", "Key", "Scope", "Last used", "Created", ""]}>
            {keys.data.items.map((k) => (
              <tr key={k.id}>
                <Td>{k.name}</Td>
                <Td mono>{k.start}…</Td>
                <Td>{k.scope}</Td>
                <Td>{when(k.lastUsedAt)}</Td>
                <Td>{when(k.createdAt)}</Td>
                <Td>
                  {k.revokedAt ? (
                    <Badge tone="bad">revoked</Badge>
                  ) : (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke ${k.name}? Clients using it stop working at once.`}
                      confirmLabel="Yes, revoke"
                      onConfirm={() => revoke.mutate(k.id)}
                    />
                  )}
                </Td>
              </tr>
            ))}
          </Table>
        ) : null}
      </Card>
    </>
  );
}
