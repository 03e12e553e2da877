"use client";

import { SelectField, TextArea, TextField } from "./controls.tsx";

/** How an account is onboarded: a provider's live connection, or offline import. */
export type Method = "aws" | "azure" | "gcp" | "offline";

type Values = Record<string, string>;

const CREDENTIAL_KINDS = [
  { value: "secret", label: "Client secret" },
  { value: "federated", label: "Federated credential (assertion)" },
];
const PROVIDERS = [
  { value: "aws", label: "AWS" },
  { value: "azure", label: "Azure" },
  { value: "gcp", label: "GCP" },
];

function azureCredential(v: Values) {
  if (!v.credentialValue) return undefined;
  return v.credentialKind === "federated"
    ? { kind: "federated", assertion: v.credentialValue }
    : { kind: "secret", clientSecret: v.credentialValue };
}

function gcpKey(text: string | undefined): { key?: unknown; error: string | null } {
  if (!text?.trim()) return { error: null };
  try {
    return { key: JSON.parse(text), error: null };
  } catch (error) {
    return { error: `The service-account key is not JSON: ${(error as Error).message}` };
  }
}

/** An account id field's name per provider, as the API expects it. */
const ID_FIELD = { aws: "accountId", azure: "subscriptionId", gcp: "projectId" } as const;

/**
 * Turns the form's values into the onboarding request, or names what is wrong with them before
 * anything is sent (the API validates again and its errors are shown too).
 */
export function requestBody(method: Method, v: Values): { body?: unknown; error: string | null } {
  const name = v.name ?? "";
  if (method === "aws")
    return {
      body: {
        provider: "aws",
        name,
        accountId: v.accountId ?? "",
        roleName: v.roleName || undefined,
      },
      error: null,
    };
  if (method === "azure") {
    const ids = {
      subscriptionId: v.subscriptionId ?? "",
      tenantId: v.tenantId ?? "",
      clientId: v.clientId ?? "",
    };
    return {
      body: { provider: "azure", name, ...ids, credential: azureCredential(v) },
      error: null,
    };
  }
  if (method === "gcp") {
    const key = gcpKey(v.key);
    if (key.error) return { error: key.error };
    return {
      body: { provider: "gcp", name, projectId: v.projectId ?? "", key: key.key },
      error: null,
    };
  }
  const provider = (v.provider ?? "aws") as keyof typeof ID_FIELD;
  return {
    body: {
      provider,
      name,
      offline: true,
      [ID_FIELD[provider]]: v.cloudId ?? "",
      ...(provider === "azure" ? { tenantId: v.tenantId ?? "", clientId: v.clientId ?? "" } : {}),
    },
    error: null,
  };
}

/** The identifier fields one onboarding method needs. */
export function ProviderFields({
  method,
  values,
  onChange,
}: {
  method: Method;
  values: Values;
  onChange: (next: Values) => void;
}) {
  const field = (key: string) => ({
    value: values[key] ?? "",
    onChange: (event: { target: { value: string } }) =>
      onChange({ ...values, [key]: event.target.value }),
  });
  const offlineProvider = values.provider ?? "aws";

  return (
    <>
      <TextField label="Display name" required {...field("name")} />
      {method === "aws" ? (
        <>
          <TextField
            label="AWS account id"
            required
            inputMode="numeric"
            hint="12 digits."
            {...field("accountId")}
          />
          <TextField label="Role name" placeholder="RingfenceReadOnly" {...field("roleName")} />
        </>
      ) : null}
      {method === "azure" || (method === "offline" && offlineProvider === "azure") ? (
        <>
          {method === "azure" ? (
            <TextField label="Subscription id" required {...field("subscriptionId")} />
          ) : null}
          <TextField label="Tenant id" required {...field("tenantId")} />
          <TextField label="Client (application) id" required {...field("clientId")} />
        </>
      ) : null}
      {method === "azure" ? (
        <>
          <SelectField label="Credential" options={CREDENTIAL_KINDS} {...field("credentialKind")} />
          <TextField
            label="Secret or assertion"
            type="password"
            autoComplete="off"
            {...field("credentialValue")}
          />
        </>
      ) : null}
      {method === "gcp" ? (
        <>
          <TextField label="Project id" required {...field("projectId")} />
          <TextArea label="Service-account key (JSON, optional)" rows={5} {...field("key")} />
        </>
      ) : null}
      {method === "offline" ? (
        <>
          <SelectField label="Provider of the exports" options={PROVIDERS} {...field("provider")} />
          <TextField label="Account, subscription or project id" required {...field("cloudId")} />
        </>
      ) : null}
    </>
  );
}
