import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { DiscoveryError, type DiscoveryProblem } from "../types.ts";
import { type AwsConnection, type AwsCredentials, stsClient } from "./clients.ts";
import { assumeRoleProblem } from "./errors.ts";

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
    throw new DiscoveryError(assumeRoleProblem(target.roleArn, error), { cause: error });
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

/** The outcome of "Verify": both checks must pass for the account to be enabled. */
export interface AwsVerification {
  ok: boolean;
  problems: DiscoveryProblem[];
}

/**
 * Proves the onboarding is right and safe: the role can be assumed with the ExternalId, and it
 * can NOT be assumed without it (otherwise any other Ringfence customer who learnt the role's
 * ARN could assume it through us, the confused-deputy problem the ExternalId exists to stop).
 */
export async function verifyAwsRole(
  connection: AwsConnection,
  target: AwsRoleTarget,
): Promise<AwsVerification> {
  const problems: DiscoveryProblem[] = [];
  try {
    await assume(connection, target.roleArn, target.externalId);
  } catch (error) {
    problems.push(assumeRoleProblem(target.roleArn, error));
  }
  const withoutExternalId = await assume(connection, target.roleArn, undefined).then(
    () => true,
    () => false,
  );
  if (withoutExternalId) {
    problems.push({
      scope: "account",
      code: "ExternalIdNotEnforced",
      message: `role ${target.roleArn} can be assumed without the ExternalId: add the sts:ExternalId condition to its trust policy`,
    });
  }
  return { ok: problems.length === 0, problems };
}
