"use client";

import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, ConfirmButton, SelectField, TextField } from "@/src/ui/components/controls.tsx";
import { Empty, ErrorBox, Loading, ShownOnce } from "@/src/ui/components/feedback.tsx";
import { Badge, Card, PageHeader, Table, Td, when } from "@/src/ui/components/layout.tsx";
import { MfaRequirementSetting } from "@/src/ui/components/mfa-requirement.tsx";
import { newIdempotencyKey, useOrgId, useOrgList } from "@/src/ui/hooks.ts";
import type { Invitation, Member, Role } from "@/src/ui/types.ts";

const ROLES = ["viewer", "editor", "admin", "owner"].map((r) => ({ value: r, label: r }));

function MemberRow({ member }: { member: Member }) {
  const orgId = useOrgId();
  const change = useMutation({
    mutationFn: (role: string) =>
      api<Member>(`/orgs/${orgId}/members/${member.id}`, { method: "PATCH", body: { role } }),
  });
  const remove = useMutation({
    mutationFn: () => api<void>(`/orgs/${orgId}/members/${member.id}`, { method: "DELETE" }),
  });
  return (
    <tr>
      <Td>{member.name}</Td>
      <Td>{member.email}</Td>
      <Td>
        <select
          aria-label={`Role of ${member.email}`}
          value={member.role}
          onChange={(event) => change.mutate(event.target.value)}
          className="rounded border border-slate-300 bg-transparent px-1 py-0.5 dark:border-slate-600"
        >
          {ROLES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
        <ErrorBox error={change.error ?? remove.error} />
      </Td>
      <Td>{when(member.createdAt)}</Td>
      <Td>
        <ConfirmButton
          tone="secondary"
          label="Remove"
          question={`Remove ${member.email} from the organisation?`}
          confirmLabel="Yes, remove"
          onConfirm={() => remove.mutate()}
          disabled={remove.isPending}
        />
      </Td>
    </tr>
  );
}

function InviteForm() {
  const orgId = useOrgId();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [key, setKey] = useState(newIdempotencyKey);
  const invite = useMutation({
    mutationFn: () =>
      api<{ invitation: Invitation; token: string | null }>(`/orgs/${orgId}/invitations`, {
        method: "POST",
        body: { email, role },
        idempotencyKey: key,
      }),
    onSuccess: () => {
      setEmail("");
      setKey(newIdempotencyKey());
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    invite.mutate();
  };
  return (
    <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-[2fr_1fr_auto] sm:items-end">
      <TextField
        label="Email"
        type="email"
        required
        value={email}
        onChange={(e) => setEmail(e.target.value)}
      />
      <SelectField
        label="Role"
        options={ROLES}
        value={role}
        onChange={(e) => setRole(e.target.value as Role)}
      />
      <Button type="submit" disabled={invite.isPending}>
        Invite
      </Button>
      <div className="sm:col-span-3">
        <ErrorBox error={invite.error} />
        {invite.data?.token ? (
          <ShownOnce label="Invitation token" value={invite.data.token} />
        ) : null}
      </div>
    </form>
  );
}

function Invitations() {
  const orgId = useOrgId();
  const invitations = useOrgList<Invitation>("invitations");
  const revoke = useMutation({
    mutationFn: (id: string) => api<void>(`/orgs/${orgId}/invitations/${id}`, { method: "DELETE" }),
  });
  if (invitations.isPending) return <Loading what="invitations" />;
  if (invitations.error) return <ErrorBox error={invitations.error} />;
  if (invitations.data.items.length === 0) return <Empty title="No invitations yet." />;
  return (
    <Table head={["Email", "Role", "Status", "Expires", ""]}>
      {invitations.data.items.map((inv) => (
        <tr key={inv.id}>
          <Td>{inv.email}</Td>
          <Td>{inv.role}</Td>
          <Td>
            <Badge tone={inv.status === "pending" ? "warn" : "neutral"}>{inv.status}</Badge>
          </Td>
          <Td>{when(inv.expiresAt)}</Td>
          <Td>
            {inv.status === "pending" ? (
              <ConfirmButton
                tone="secondary"
                label="Revoke"
                question={`Revoke the invitation of ${inv.email}?`}
                confirmLabel="Yes, revoke"
                onConfirm={() => revoke.mutate(inv.id)}
              />
            ) : null}
          </Td>
        </tr>
      ))}
    </Table>
  );
}

export default function MembersPage() {
  const members = useOrgList<Member>("members");
  return (
    <>
      <PageHeader
        title="Members"
        description="Viewers read; editors change policy; admins manage members, keys and enforcers; owners everything."
      />
      <Card title="People">
        {members.isPending ? <Loading what="members" /> : null}
        <ErrorBox error={members.error} />
        {members.data ? (
          <Table head={["Name", "Email", "Role", "Joined", ""]}>
            {members.data.items.map((m) => (
              <MemberRow key={m.id} member={m} />
            ))}
          </Table>
        ) : null}
      </Card>
      <Card title="Invite someone">
        <InviteForm />
      </Card>
      <Card title="Invitations">
        <Invitations />
      </Card>
      <Card title="Second factor">
        <MfaRequirementSetting />
      </Card>
    </>
  );
}
