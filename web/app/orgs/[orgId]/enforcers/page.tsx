"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, ConfirmButton, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading, ShownOnce } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { Enforcer, Registration } from "@/src/ui/types.ts";

/**
 * The commands that install a VM gateway with infra/gateway/install.sh; its configuration
 * (infra/gateway/gateway.example.json) points `controlPlane.url` at this console.
 */
function installCommand(origin: string, token: string): string {
  return [
    `printf '%s' '${token}' > registration-token`,
    `# set "controlPlane": { "url": "${origin}" } in gateway.json (see gateway.example.json)`,
    "sudo infra/gateway/install.sh --config gateway.json --token-file registration-token",
  ].join("\n");
}

function Register() {
  const orgId = useOrgId();
  const [name, setName] = useState("");
  const register = useMutation({
    mutationFn: () =>
      api<Registration>(`/orgs/${orgId}/enforcer-registrations`, {
        method: "POST",
        body: { name },
      }),
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    register.mutate();
  };
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[1fr_auto] sm:items-end">
        <TextField
          label="Enforcer name"
          required
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <Button type="submit" disabled={register.isPending}>
          Create registration token
        </Button>
      </div>
      <ErrorBox error={register.error} />
      {register.data ? (
        <>
          <ShownOnce label="Registration token" value={register.data.token} />
          <p className="text-sm">
            Install command on the VM (expires {when(register.data.registration.expiresAt)}):
          </p>
          <pre
            className="overflow-auto rounded bg-slate-100 p-2 text-xs dark:bg-slate-800"
            data-testid="install-command"
          >
            {installCommand(origin, register.data.token)}
          </pre>
        </>
      ) : null}
    </form>
  );
}

function CaDownload() {
  const orgId = useOrgId();
  const ca = useQuery({
    queryKey: ["org", orgId, "ca"],
    queryFn: () =>
      api<{ certificatePem: string; notAfter: string }>(`/orgs/${orgId}/ca-certificate`),
  });
  if (ca.isPending) return <Loading what="the CA certificate" />;
  if (ca.error) return <ErrorBox error={ca.error} />;
  const href = `data:application/x-pem-file;charset=utf-8,${encodeURIComponent(ca.data.certificatePem)}`;
  return (
    <p className="text-sm">
      Clients trust proxy-mode inspection through this CA (valid until {when(ca.data.notAfter)}).{" "}
      <a
        href={href}
        download="ringfence-ca.pem"
        className="font-medium text-sky-700 underline dark:text-sky-400"
      >
        Download ringfence-ca.pem
      </a>
    </p>
  );
}

function status(e: Enforcer) {
  if (e.revokedAt) return <Badge tone="bad">revoked</Badge>;
  if (!e.lastSeenAt) return <Badge tone="warn">never seen</Badge>;
  return e.drift ? <Badge tone="warn">drift</Badge> : <Badge tone="good">current</Badge>;
}

export default function EnforcersPage() {
  const orgId = useOrgId();
  const enforcers = useOrgList<Enforcer>("enforcers");
  const revoke = useMutation({
    mutationFn: (id: string) =>
      api<Enforcer>(`/orgs/${orgId}/enforcers/${id}/revoke`, { method: "POST", body: {} }),
  });
  return (
    <>
      <PageHeader
        title="Enforcers"
        description="Gateways on VMs and edge workers that enforce the published policy."
      />
      <Card title="Register an enforcer">
        <Register />
      </Card>
      <Card title="Proxy-mode CA">
        <CaDownload />
      </Card>
      <Card title="Fleet">
        {enforcers.isPending ? <Loading what="enforcers" /> : null}
        <ErrorBox error={enforcers.error ?? revoke.error} />
        {enforcers.data?.items.length === 0 ? (
          <Empty title="No enforcer has registered yet." />
        ) : null}
        {enforcers.data?.items.length ? (
          <Table
            head={["Name", "Kind", "Status", "Enforced / latest", "Software", "Last seen", ""]}
          >
            {enforcers.data.items.map((e) => (
              <tr key={e.id}>
                <Td>{e.name}</Td>
                <Td>{e.kind}</Td>
                <Td>
                  {status(e)}
                  {e.statusMessage ? <p className="mt-1 text-xs">{e.statusMessage}</p> : null}
                </Td>
                <Td>
                  v{e.bundleVersion ?? "—"} / v{e.latestVersion ?? "—"}
                </Td>
                <Td mono>{e.softwareVersion ?? "—"}</Td>
                <Td>{when(e.lastSeenAt)}</Td>
                <Td>
                  {e.revokedAt ? null : (
                    <ConfirmButton
                      label="Revoke"
                      question={`Revoke ${e.name}? It can no longer fetch policy or send events.`}
                      confirmLabel="Yes, revoke"
                      onConfirm={() => revoke.mutate(e.id)}
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
