"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../api.ts";
import { useOrgId } from "../hooks.ts";
import type { AwsSetupInfo, AwsVerification, CloudAccount } from "../types.ts";
import { Button } from "./controls.tsx";
import { ErrorBox, Loading } from "./feedback.tsx";
import { Badge, Card } from "./layout.tsx";

function Row({ label, value }: { label: string; value: string }) {
  return (
    <div className="grid gap-1 sm:grid-cols-[10rem_1fr]">
      <dt className="text-sm text-slate-500 dark:text-slate-400">{label}</dt>
      <dd
        className="break-all font-mono text-sm"
        data-testid={`aws-${label.toLowerCase().replace(/\W+/g, "-")}`}
      >
        {value}
      </dd>
    </div>
  );
}

/** The link when the deployment publishes the template, else what to enter and what is unset. */
function StackLink({ setup }: { setup: AwsSetupInfo }) {
  if (setup.quickCreateUrl) {
    return (
      <a
        href={setup.quickCreateUrl}
        target="_blank"
        rel="noreferrer noopener"
        className="font-medium text-sky-700 underline dark:text-sky-400"
      >
        Create the role with CloudFormation (quick-create)
      </a>
    );
  }
  return (
    <span data-testid="aws-manual">
      Create a CloudFormation stack from <code>infra/aws/ringfence-readonly-role.yaml</code> with
      the parameters above. There is no quick-create link because this control plane does not set{" "}
      {setup.missingSettings.join(" and ")}.
    </span>
  );
}

/** What the last press of "Verify role" found: every check, and STS's own words on failure. */
function VerifyOutcome({ result }: { result: AwsVerification }) {
  return (
    <div className="mt-3 flex flex-col gap-2 text-sm" data-testid="verify-result">
      <p>
        {result.ok ? (
          <Badge tone="good">role verified</Badge>
        ) : (
          <Badge tone="bad">verification failed</Badge>
        )}
      </p>
      {result.problems.length ? (
        <ul role="alert" className="list-disc pl-5 text-rose-700 dark:text-rose-300">
          {result.problems.map((p) => (
            <li key={`${p.scope}-${p.code}`}>
              {p.message}
              <span className="text-xs text-slate-500"> ({p.code})</span>
            </li>
          ))}
        </ul>
      ) : null}
      <ul className="flex flex-wrap gap-2">
        {result.checks.map((c) => (
          <li key={c.check}>
            <Badge tone={c.ok ? "good" : "bad"}>
              {c.ok ? "✓" : "✗"} {c.check}
            </Badge>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * What the customer does in AWS: create the read-only role from our template with the
 * ExternalId Ringfence generated, as the control plane describes it (`aws-setup`), then press
 * "Verify role", which assumes the role through the control plane's STS and shows the outcome.
 */
export function AwsSetup({ account }: { account: CloudAccount }) {
  const orgId = useOrgId();
  const path = `/orgs/${orgId}/accounts/${account.id}`;
  const queryClient = useQueryClient();
  const setup = useQuery({
    queryKey: ["org", orgId, "account", account.id, "aws-setup"],
    queryFn: () => api<AwsSetupInfo>(`${path}/aws-setup`),
  });
  const verify = useMutation({
    mutationFn: () => api<AwsVerification>(`${path}/verify`, { method: "POST", body: {} }),
    // The answer carries the account's new status: show it at once, without waiting for a poll.
    onSuccess: (result) =>
      queryClient.setQueryData(["org", orgId, "account", account.id], result.account),
  });

  return (
    <Card title="Grant access in AWS">
      {setup.isPending ? <Loading what="the role's parameters" /> : null}
      <ErrorBox error={setup.error} />
      {setup.data ? (
        <>
          <dl className="flex flex-col gap-2">
            <Row label="ExternalId" value={setup.data.externalId} />
            <Row label="Role ARN" value={setup.data.roleArn} />
            <Row label="Role name" value={setup.data.parameters.RoleName} />
            <Row
              label="Trusted principal"
              value={setup.data.parameters.RingfencePrincipal ?? "—"}
            />
          </dl>
          <p className="mt-3 text-sm">
            <StackLink setup={setup.data} />
          </p>
        </>
      ) : null}
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        The role can describe networks, instances and bucket configuration; it cannot read any
        object or change anything. Once the stack exists, verify the role.
      </p>
      <div className="mt-3">
        <Button onClick={() => verify.mutate()} disabled={verify.isPending}>
          Verify role
        </Button>
      </div>
      <ErrorBox error={verify.error} />
      {verify.data ? <VerifyOutcome result={verify.data} /> : null}
    </Card>
  );
}
