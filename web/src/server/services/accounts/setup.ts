import type { OrgContext, ServiceCall } from "../../context.ts";
import { type AwsSetup, awsSetup } from "../../discovery/aws/index.ts";
import type { AwsSetupSettings } from "../../discovery/config.ts";
import { AppError } from "../../errors.ts";
import { getAccount } from "./get.ts";

/** The role's stack parameters and the CloudFormation quick-create link of an AWS account. */
export async function getAwsSetup({
  ctx,
  input,
}: ServiceCall<
  OrgContext & { awsSetup: AwsSetupSettings },
  { accountId: string }
>): Promise<AwsSetup> {
  const account = await getAccount({ ctx, input });
  if (account.provider !== "aws" || !account.roleArn || !account.externalId) {
    throw new AppError("conflict", "Only AWS accounts are set up with a role template.");
  }
  return awsSetup({ roleArn: account.roleArn, externalId: account.externalId }, ctx.awsSetup);
}
