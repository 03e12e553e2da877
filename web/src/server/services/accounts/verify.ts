import { cloudAccounts } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import type { OrgContext, ServiceCall } from "../../context.ts";
import { type AwsVerification, verifyAwsRole } from "../../discovery/aws/index.ts";
import type { DiscoveryConnections } from "../../discovery/config.ts";
import { AppError } from "../../errors.ts";
import { getAccount } from "./get.ts";
import { type CloudAccountDto, presentAccount } from "./present.ts";

/** What Verify answers: the account with its new status, and each check that ran. */
export interface VerifyResult extends Pick<AwsVerification, "ok" | "checks" | "problems"> {
  account: CloudAccountDto;
}

/**
 * Verifies an AWS account's role through the configured STS (assume with the ExternalId, read
 * a little, and be refused without the ExternalId) and records the outcome on the account: a
 * passing account becomes `active`, a failing one `error` with a status message that names
 * exactly what to fix. Offline accounts and other providers cannot be verified this way.
 */
export async function verifyAccount({
  ctx,
  input,
}: ServiceCall<
  OrgContext & { discovery: DiscoveryConnections },
  { accountId: string }
>): Promise<VerifyResult> {
  const account = await getAccount({ ctx, input });
  if (account.provider !== "aws" || account.offline || !account.roleArn || !account.externalId) {
    throw new AppError(
      "conflict",
      "Only online AWS accounts are verified by assuming their role; this account is not one.",
    );
  }
  const aws = ctx.discovery.aws;
  if (!aws) {
    throw new AppError(
      "conflict",
      "AWS discovery is not configured on this control plane: set RINGFENCE_AWS_ACCESS_KEY_ID, RINGFENCE_AWS_SECRET_ACCESS_KEY and RINGFENCE_AWS_ENDPOINT.",
    );
  }
  const verification = await verifyAwsRole(aws, {
    accountId: account.cloudAccountId,
    roleArn: account.roleArn,
    externalId: account.externalId,
  });
  const [row] = await ctx.db
    .update(cloudAccounts)
    .set({
      status: verification.ok ? "active" : "error",
      statusMessage: verification.problems.map((problem) => problem.message).join("; ") || null,
    })
    .where(
      and(eq(cloudAccounts.organizationId, ctx.organizationId), eq(cloudAccounts.id, account.id)),
    )
    .returning();
  if (!row) throw new AppError("not_found", "No such cloud account in this organisation.");
  const { ok, checks, problems } = verification;
  return { ok, checks, problems, account: presentAccount(row) };
}
