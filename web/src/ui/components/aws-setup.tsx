"use client";

import { awsOnboardingSettings, quickCreateLink, roleNameOf } from "../onboarding.ts";
import type { CloudAccount } from "../types.ts";
import { Card } from "./layout.tsx";

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

/**
 * What the customer does in AWS: create the read-only role from our template with the
 * ExternalId Ringfence generated, by the quick-create link when this deployment publishes the
 * template, else by hand with the parameters shown.
 */
export function AwsSetup({ account }: { account: CloudAccount }) {
  const link = quickCreateLink(account, awsOnboardingSettings());
  return (
    <Card title="Grant access in AWS">
      <dl className="flex flex-col gap-2">
        <Row label="ExternalId" value={account.externalId ?? "—"} />
        <Row label="Role ARN" value={account.roleArn ?? "—"} />
        <Row label="Role name" value={roleNameOf(account.roleArn)} />
      </dl>
      <p className="mt-3 text-sm">
        {link ? (
          <a
            href={link}
            target="_blank"
            rel="noreferrer noopener"
            className="font-medium text-sky-700 underline dark:text-sky-400"
          >
            Create the role with CloudFormation (quick-create)
          </a>
        ) : (
          <>
            Create a CloudFormation stack from <code>infra/aws/ringfence-readonly-role.yaml</code>{" "}
            with the ExternalId above. This deployment does not publish the template, so there is no
            quick-create link.
          </>
        )}
      </p>
      <p className="mt-2 text-xs text-slate-500 dark:text-slate-400">
        The role can describe networks, instances and bucket configuration; it cannot read any
        object or change anything. Then press “Verify role”.
      </p>
    </Card>
  );
}
