import type { CloudAccount } from "./types.ts";

/**
 * Where the AWS role template is published and which principal Ringfence assumes roles from.
 * Both are deployment settings inlined at build time; without them the console shows the
 * parameters to enter by hand instead of a quick-create link.
 */
export interface AwsOnboardingSettings {
  templateUrl: string | undefined;
  principalArn: string | undefined;
}

export function awsOnboardingSettings(): AwsOnboardingSettings {
  return {
    templateUrl: process.env.NEXT_PUBLIC_RINGFENCE_AWS_TEMPLATE_URL || undefined,
    principalArn: process.env.NEXT_PUBLIC_RINGFENCE_AWS_PRINCIPAL || undefined,
  };
}

/** The role name inside an account's role ARN (`arn:aws:iam::123:role/Name` → `Name`). */
export function roleNameOf(roleArn: string | null): string {
  return roleArn?.split("/").at(-1) ?? "RingfenceReadOnly";
}

/**
 * The CloudFormation quick-create link that opens the customer's AWS console on our read-only
 * role template with the ExternalId and principal filled in, or null when not configured.
 */
export function quickCreateLink(
  account: Pick<CloudAccount, "externalId" | "roleArn">,
  settings: AwsOnboardingSettings,
): string | null {
  if (!settings.templateUrl || !settings.principalArn || !account.externalId) return null;
  const params = new URLSearchParams({
    templateURL: settings.templateUrl,
    stackName: "ringfence-discovery",
    param_ExternalId: account.externalId,
    param_RingfencePrincipal: settings.principalArn,
    param_RoleName: roleNameOf(account.roleArn),
  });
  return `https://console.aws.amazon.com/cloudformation/home#/stacks/quickcreate?${params}`;
}
