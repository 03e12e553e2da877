"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useState } from "react";
import { api } from "@/src/ui/api.ts";
import { Button } from "@/src/ui/components/controls.tsx";
import { ErrorBox } from "@/src/ui/components/feedback.tsx";
import { Card, PageHeader } from "@/src/ui/components/layout.tsx";
import {
  type Method,
  ProviderFields,
  requestBody,
} from "@/src/ui/components/onboarding-fields.tsx";
import { newIdempotencyKey, useOrgId } from "@/src/ui/hooks.ts";
import type { CloudAccount } from "@/src/ui/types.ts";

const METHODS: { value: Method; label: string; blurb: string }[] = [
  {
    value: "aws",
    label: "AWS",
    blurb: "Cross-account role with an ExternalId Ringfence generates.",
  },
  {
    value: "azure",
    label: "Azure",
    blurb: "Service principal with a client secret or federated credential.",
  },
  { value: "gcp", label: "GCP", blurb: "Service-account key for a project." },
  {
    value: "offline",
    label: "Offline import",
    blurb: "Upload cloud CLI exports; nothing connects to a cloud.",
  },
];

export default function OnboardPage() {
  const orgId = useOrgId();
  const router = useRouter();
  const [method, setMethod] = useState<Method>("aws");
  const [values, setValues] = useState<Record<string, string>>({});
  const [key] = useState(newIdempotencyKey);
  const [localError, setLocalError] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: (body: unknown) =>
      api<CloudAccount>(`/orgs/${orgId}/accounts`, { method: "POST", body, idempotencyKey: key }),
    onSuccess: (account) => router.push(`/orgs/${orgId}/accounts/${account.id}?new=1`),
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const built = requestBody(method, values);
    setLocalError(built.error);
    if (built.body) create.mutate(built.body);
  };

  return (
    <>
      <PageHeader
        title="Onboard a cloud account"
        description="Step 1: choose how Ringfence reads your inventory. Step 2: fill in the identifiers. Step 3: grant access and verify."
      />
      <fieldset className="mb-4 grid gap-2 sm:grid-cols-4">
        <legend className="mb-2 text-sm font-medium">Provider</legend>
        {METHODS.map((m) => (
          <label
            key={m.value}
            className={`cursor-pointer rounded-lg border p-3 text-sm ${method === m.value ? "border-sky-500 bg-sky-50 dark:bg-sky-950" : "border-slate-200 dark:border-slate-700"}`}
          >
            <input
              type="radio"
              name="method"
              value={m.value}
              checked={method === m.value}
              onChange={() => setMethod(m.value)}
              className="mr-2"
            />
            <span className="font-medium">{m.label}</span>
            <span className="mt-1 block text-xs text-slate-500 dark:text-slate-400">{m.blurb}</span>
          </label>
        ))}
      </fieldset>
      <Card>
        <form onSubmit={onSubmit} className="flex max-w-xl flex-col gap-3">
          <ProviderFields method={method} values={values} onChange={setValues} />
          {localError ? (
            <p role="alert" className="text-sm text-rose-700 dark:text-rose-300">
              {localError}
            </p>
          ) : null}
          <ErrorBox error={create.error} />
          <div>
            <Button type="submit" disabled={create.isPending}>
              Continue
            </Button>
          </div>
        </form>
      </Card>
    </>
  );
}
