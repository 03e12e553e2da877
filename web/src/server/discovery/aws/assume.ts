import {
  DescribeInstancesCommand,
  DescribeRegionsCommand,
  DescribeVpcEndpointsCommand,
  type EC2Client,
} from "@aws-sdk/client-ec2";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DiscoveryError, type DiscoveryProblem } from "../types.ts";
import { type AwsConnection, type AwsCredentials, ec2Client, stsClient } from "./clients.ts";
import { assumeRoleProblem, awsProblem } from "./errors.ts";

/** The region every account has, where the account-wide calls (DescribeRegions, S3) are made. */
export const HOME_REGION = "us-east-1";

/** The customer's role as onboarding recorded it. */
export interface AwsRoleTarget {
  accountId: string;
  roleArn: string;
  externalId: string;
}

const SESSION_NAME = "ringfence-discovery";

/** Assumes the customer's role with its ExternalId; a refusal throws a DiscoveryError. */
export async function assumeRole(
  connection: AwsConnection,
  target: AwsRoleTarget,
): Promise<AwsCredentials> {
  try {
    return await assume(connection, target.roleArn, target.externalId);
  } catch (error) {
    const problem = assumeRoleProblem(target.roleArn, error, target.externalId);
    throw new DiscoveryError(problem, { cause: error });
  }
}

async function assume(
  connection: AwsConnection,
  roleArn: string,
  externalId: string | undefined,
): Promise<AwsCredentials> {
  const client = stsClient(connection);
  try {
    const command = new AssumeRoleCommand({
      RoleArn: roleArn,
      RoleSessionName: SESSION_NAME,
      DurationSeconds: 3600,
      ...(externalId === undefined ? {} : { ExternalId: externalId }),
    });
    const { Credentials: credentials } = await client.send(command);
    if (!credentials?.AccessKeyId || !credentials.SecretAccessKey) {
      throw new Error("AssumeRole answered without credentials");
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      ...(credentials.SessionToken ? { sessionToken: credentials.SessionToken } : {}),
    };
  } finally {
    client.destroy();
  }
}

/** The outcome of "Verify": every check must pass for the account to be enabled. */
export interface AwsVerification {
  ok: boolean;
  /** Each check and whether it passed, in the order they ran. */
  checks: { check: string; ok: boolean }[];
  problems: DiscoveryProblem[];
}

/**
 * Cheap reads that prove the role's policy: one page of five items at most, in the home region.
 * A denial names the missing action. Buckets are not probed: S3 denials name no action, and
 * the first sync reports them per bucket.
 */
const PROBES: { action: string; run: (client: EC2Client) => Promise<unknown> }[] = [
  { action: "ec2:DescribeRegions", run: (c) => c.send(new DescribeRegionsCommand({})) },
  {
    action: "ec2:DescribeInstances",
    run: (c) => c.send(new DescribeInstancesCommand({ MaxResults: 5 })),
  },
  {
    action: "ec2:DescribeVpcEndpoints",
    run: (c) => c.send(new DescribeVpcEndpointsCommand({ MaxResults: 5 })),
  },
];

/**
 * Proves the onboarding is right and safe: the role can be assumed with the ExternalId and can
 * read, and it can NOT be assumed without the ExternalId (otherwise any other Ringfence customer
 * who learnt the role's ARN could assume it through us, the confused-deputy problem the
 * ExternalId exists to stop).
 */
export async function verifyAwsRole(
  connection: AwsConnection,
  target: AwsRoleTarget,
): Promise<AwsVerification> {
  const checks: AwsVerification["checks"] = [];
  const problems: DiscoveryProblem[] = [];
  let session: AwsCredentials | undefined;
  try {
    session = await assume(connection, target.roleArn, target.externalId);
  } catch (error) {
    problems.push(assumeRoleProblem(target.roleArn, error, target.externalId));
  }
  checks.push({ check: "sts:AssumeRole with the ExternalId", ok: session !== undefined });
  if (session) problems.push(...(await probeReads(connection, session, checks)));

  const withoutExternalId = await assume(connection, target.roleArn, undefined).then(
    () => true,
    () => false,
  );
  checks.push({
    check: "sts:AssumeRole without the ExternalId is refused",
    ok: !withoutExternalId,
  });
  if (withoutExternalId) {
    problems.push({
      scope: "account",
      code: "ExternalIdNotEnforced",
      message: `role ${target.roleArn} can be assumed without the ExternalId: add the condition sts:ExternalId = ${target.externalId} to its trust policy`,
    });
  }
  return { ok: problems.length === 0, checks, problems };
}

async function probeReads(
  connection: AwsConnection,
  session: AwsCredentials,
  checks: AwsVerification["checks"],
): Promise<DiscoveryProblem[]> {
  const problems: DiscoveryProblem[] = [];
  const client = ec2Client(connection, session, HOME_REGION);
  try {
    for (const probe of PROBES) {
      const failed = await probe.run(client).then(
        () => undefined,
        (error: unknown) => awsProblem("account", error, probe.action),
      );
      checks.push({ check: probe.action, ok: failed === undefined });
      if (failed) problems.push(failed);
    }
  } finally {
    client.destroy();
  }
  return problems;
}
