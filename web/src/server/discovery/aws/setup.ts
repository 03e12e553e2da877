import type { AwsSetupSettings } from "../config.ts";

/** What the customer needs to create the role: the stack's parameters and, when configured, a link. */
export interface AwsSetup {
  roleArn: string;
  externalId: string;
  /** The CloudFormation stack parameters, for a customer who deploys the template by hand. */
  parameters: { ExternalId: string; RoleName: string; RingfencePrincipal: string | null };
  templateUrl: string | null;
  /** Opens the AWS console on the template with every parameter filled in; null until configured. */
  quickCreateUrl: string | null;
  /** The settings that would make the link, when it cannot be made. */
  missingSettings: string[];
}

const STACK_NAME = "ringfence-discovery";

/** The role name inside a role ARN (`arn:aws:iam::123:role/path/Name` → `Name`). */
export function roleNameOf(roleArn: string): string {
  return roleArn.split("/").at(-1) ?? roleArn;
}

/**
 * Builds the CloudFormation quick-create link for an account's role. The link is only a string
 * handed to the customer, who opens it in their own AWS console: the control plane never
 * requests it or the template it names.
 */
export function awsSetup(
  account: { roleArn: string; externalId: string },
  settings: AwsSetupSettings,
): AwsSetup {
  const parameters = {
    ExternalId: account.externalId,
    RoleName: roleNameOf(account.roleArn),
    RingfencePrincipal: settings.principalArn ?? null,
  };
  const missingSettings = [
    ...(settings.templateUrl ? [] : ["RINGFENCE_AWS_TEMPLATE_URL"]),
    ...(settings.principalArn ? [] : ["RINGFENCE_AWS_PRINCIPAL_ARN"]),
  ];
  let quickCreateUrl: string | null = null;
  if (settings.templateUrl && settings.principalArn) {
    const query = new URLSearchParams({
      templateURL: settings.templateUrl,
      stackName: STACK_NAME,
      param_ExternalId: parameters.ExternalId,
      param_RingfencePrincipal: settings.principalArn,
      param_RoleName: parameters.RoleName,
    });
    quickCreateUrl = `https://console.aws.amazon.com/cloudformation/home?region=us-east-1#/stacks/quickcreate?${query}`;
  }
  return {
    roleArn: account.roleArn,
    externalId: account.externalId,
    parameters,
    templateUrl: settings.templateUrl ?? null,
    quickCreateUrl,
    missingSettings,
  };
}
