"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button, TextField } from "@/src/ui/components/controls.tsx";
import { ErrorBox } from "@/src/ui/components/feedback.tsx";
import { newIdempotencyKey } from "@/src/ui/hooks.ts";
import type { Organization } from "@/src/ui/types.ts";

/** Derives a slug suggestion from a name, in the API's slug alphabet. */
function slugOf(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}

/** Joins the organisation whose invitation token the signed-in person was given. */
function JoinForm() {
  const router = useRouter();
  const [token, setToken] = useState("");
  const join = useMutation({
    mutationFn: () =>
      api<{ organization: Organization }>("/invitations/accept", {
        method: "POST",
        body: { token: token.trim() },
      }),
    onSuccess: ({ organization }) => router.push(`/orgs/${organization.id}`),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    join.mutate();
  };

  return (
    <form onSubmit={onSubmit} className="flex flex-col gap-3">
      <TextField
        label="Invitation token"
        required
        value={token}
        onChange={(e) => setToken(e.target.value)}
        hint="The token an administrator of the organisation sent you."
      />
      <ErrorBox error={join.error} />
      <Button type="submit" disabled={join.isPending}>
        Join
      </Button>
    </form>
  );
}

export default function NewOrganizationPage() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [key] = useState(newIdempotencyKey);
  const create = useMutation({
    mutationFn: () =>
      api<Organization>("/orgs", {
        method: "POST",
        body: { name, slug: slug || slugOf(name) },
        idempotencyKey: key,
      }),
    onSuccess: (org) => router.push(`/orgs/${org.id}`),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };

  return (
    <main className="mx-auto mt-16 max-w-sm px-4">
      <h1 className="mb-4 text-lg font-medium">Create an organisation</h1>
      <form onSubmit={onSubmit} className="flex flex-col gap-3">
        <TextField label="Name" required value={name} onChange={(e) => setName(e.target.value)} />
        <TextField
          label="Slug"
          value={slug}
          placeholder={slugOf(name)}
          onChange={(e) => setSlug(e.target.value)}
          hint="Lower-case letters, digits and inner dashes."
        />
        <ErrorBox error={create.error} />
        <Button type="submit" disabled={create.isPending}>
          Create
        </Button>
      </form>
      <h2 className="mt-10 mb-4 text-lg font-medium">Or join one you were invited to</h2>
      <JoinForm />
    </main>
  );
}
