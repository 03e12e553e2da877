"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, SelectField, TextArea, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader, Table, Td } from "@/src/ui/components/layout.tsx";
import { useOrgId } from "@/src/ui/hooks.ts";

interface SsoDomain {
  id: string;
  domain: string;
  verified: boolean;
  txtName: string;
  txtValue: string;
}

interface SsoConnection {
  configured: true;
  issuer: string;
  clientId: string;
  groupRoles: Record<string, string>;
  defaultRole: string;
  jitEnabled: boolean;
  requireSso: boolean;
  enabled: boolean;
  redirectUri: string;
}

const ROLES = ["viewer", "editor", "admin"].map((value) => ({ value, label: value }));

function Domains() {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [domain, setDomain] = useState("");
  const domains = useQuery({
    queryKey: ["org", orgId, "sso-domains"],
    queryFn: () => api<{ items: SsoDomain[] }>(`/orgs/${orgId}/sso/domains`),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ["org", orgId, "sso-domains"] });
  const add = useMutation({
    mutationFn: () => api(`/orgs/${orgId}/sso/domains`, { method: "POST", body: { domain } }),
    onSuccess: () => {
      setDomain("");
      return refresh();
    },
  });
  const verify = useMutation({
    mutationFn: (id: string) =>
      api(`/orgs/${orgId}/sso/domains/${id}/verify`, { method: "POST", body: {} }),
    onSuccess: refresh,
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate();
  };

  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
        <TextField
          label="Email domain"
          required
          value={domain}
          onChange={(e) => setDomain(e.target.value)}
        />
        <Button type="submit" disabled={add.isPending}>
          Add domain
        </Button>
      </form>
      <ErrorBox error={domains.error ?? add.error ?? verify.error} />
      {domains.isPending ? <Loading what="domains" /> : null}
      {domains.data?.items.length === 0 ? <Empty title="No domains yet." /> : null}
      {domains.data?.items.length ? (
        <Table head={["Domain", "TXT record to publish", ""]}>
          {domains.data.items.map((d) => (
            <tr key={d.id}>
              <Td>
                {d.domain}{" "}
                {d.verified ? (
                  <Badge tone="good">verified</Badge>
                ) : (
                  <Badge tone="warn">unverified</Badge>
                )}
              </Td>
              <Td mono>
                {d.txtName} TXT "{d.txtValue}"
              </Td>
              <Td>
                {d.verified ? null : (
                  <Button tone="secondary" onClick={() => verify.mutate(d.id)}>
                    Verify
                  </Button>
                )}
              </Td>
            </tr>
          ))}
        </Table>
      ) : null}
    </div>
  );
}

/** `group=role` lines to the API's mapping. */
function parseMappings(text: string): Record<string, string> {
  const entries = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "")
    .map((line) => line.split("=").map((part) => part.trim()) as [string, string]);
  return Object.fromEntries(entries);
}

function ConnectionForm({ current }: { current: SsoConnection | undefined }) {
  const orgId = useOrgId();
  const queryClient = useQueryClient();
  const [form, setForm] = useState({
    issuer: current?.issuer ?? "",
    clientId: current?.clientId ?? "",
    clientSecret: "",
    defaultRole: current?.defaultRole ?? "viewer",
    mappings: Object.entries(current?.groupRoles ?? {})
      .map(([group, role]) => `${group}=${role}`)
      .join("\n"),
    jitEnabled: current?.jitEnabled ?? true,
    requireSso: current?.requireSso ?? false,
    enabled: current?.enabled ?? true,
  });
  const save = useMutation({
    mutationFn: () =>
      api(`/orgs/${orgId}/sso`, {
        method: "PUT",
        body: {
          issuer: form.issuer,
          clientId: form.clientId,
          ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
          defaultRole: form.defaultRole,
          groupRoles: parseMappings(form.mappings),
          jitEnabled: form.jitEnabled,
          requireSso: form.requireSso,
          enabled: form.enabled,
        },
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ["org", orgId, "sso"] }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const text = (key: "issuer" | "clientId" | "clientSecret" | "mappings") => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) =>
      setForm({ ...form, [key]: event.target.value }),
  });
  const flag = (key: "jitEnabled" | "requireSso" | "enabled", label: string) => (
    <label className="flex items-center gap-2 text-sm">
      <input
        type="checkbox"
        checked={form[key]}
        onChange={(event) => setForm({ ...form, [key]: event.target.checked })}
      />
      {label}
    </label>
  );

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <TextField
        label="Issuer"
        required
        placeholder="https://login.example.com"
        {...text("issuer")}
      />
      <TextField label="Client id" required {...text("clientId")} />
      <TextField
        label="Client secret"
        type="password"
        required={current === undefined}
        hint={current ? "Leave empty to keep the stored secret." : undefined}
        {...text("clientSecret")}
      />
      <SelectField
        label="Role of new members"
        options={ROLES}
        value={form.defaultRole}
        onChange={(event) => setForm({ ...form, defaultRole: event.target.value })}
      />
      <TextArea label="Group to role, one group=role per line" rows={3} {...text("mappings")} />
      {flag("enabled", "Enabled")}
      {flag("jitEnabled", "Create members at their first sign-in")}
      {flag("requireSso", "Require SSO (owners keep password sign-in as break-glass)")}
      {current ? (
        <p className="text-xs text-slate-500">Redirect URI to register: {current.redirectUri}</p>
      ) : null}
      <ErrorBox error={save.error} />
      <div>
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
      </div>
    </form>
  );
}

export default function SsoPage() {
  const orgId = useOrgId();
  const connection = useQuery({
    queryKey: ["org", orgId, "sso"],
    queryFn: () => api<SsoConnection | { configured: false }>(`/orgs/${orgId}/sso`),
  });
  const current = connection.data?.configured ? connection.data : undefined;
  return (
    <>
      <PageHeader
        title="Single sign-on"
        description="Sign your people in through your OpenID Connect provider. Verify your email domain first."
      />
      <Card title="Domains">
        <Domains />
      </Card>
      <Card title="Identity provider">
        {connection.isPending ? <Loading what="the connection" /> : null}
        <ErrorBox error={connection.error} />
        {connection.isSuccess && !current ? (
          <p className="mb-3 text-sm text-slate-600 dark:text-slate-400" data-testid="sso-state">
            No identity provider is configured yet; members sign in with their passwords.
          </p>
        ) : null}
        {connection.isSuccess ? <ConnectionForm current={current} /> : null}
      </Card>
    </>
  );
}
