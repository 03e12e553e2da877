import type { DiscoveryProblem } from "../types.ts";

/** The fields of an AWS SDK service error that the status messages use. */
interface AwsErrorShape {
  name: string;
  message: string;
}

function shape(error: unknown): AwsErrorShape {
  if (error instanceof Error) return { name: error.name, message: error.message };
  return { name: "UnknownError", message: String(error) };
}

const ACTION_IN_MESSAGE = /perform: ([a-z0-9-]+:[A-Za-z0-9]+)/;

/**
 * Turns an AWS error on `scope` into a problem whose message names the fix. `action` is the IAM
 * action that was being exercised, for services (S3) whose denials do not name it.
 */
export function awsProblem(scope: string, error: unknown, action?: string): DiscoveryProblem {
  const { name, message } = shape(error);
  const named = ACTION_IN_MESSAGE.exec(message)?.[1] ?? action;
  const denied = name === "UnauthorizedOperation" || name === "AccessDenied";
  if (denied && named) {
    return {
      scope,
      code: name,
      missingPermission: named,
      message: `${name} in ${scope}: the role lacks ${named}; add it to the role's policy (update the stack from the current Ringfence template)`,
    };
  }
  if (name === "RequestLimitExceeded" || name === "Throttling" || name === "SlowDown") {
    return {
      scope,
      code: name,
      message: `${name} in ${scope}: AWS kept throttling after every retry; the next sync retries`,
    };
  }
  return { scope, code: name, message: `${name} in ${scope}: ${message}` };
}

/**
 * The problem for a refused AssumeRole, naming the trust policy's ExternalId as the fix. AWS
 * answers a wrong ExternalId, an untrusted principal and a missing role with the same
 * AccessDenied, so the message names the exact ExternalId the trust policy must require and
 * the other two causes after it.
 */
export function assumeRoleProblem(
  roleArn: string,
  error: unknown,
  externalId: string,
): DiscoveryProblem {
  const { name, message } = shape(error);
  if (name === "AccessDenied") {
    return {
      scope: "account",
      code: name,
      message: `AccessDenied assuming role ${roleArn}: the role's trust policy must require ExternalId ${externalId} (condition sts:ExternalId), trust Ringfence's principal, and the role must exist`,
    };
  }
  if (name === "InvalidClientTokenId" || name === "SignatureDoesNotMatch") {
    return {
      scope: "account",
      code: name,
      message: `${name} assuming role ${roleArn}: the control plane's own AWS key is wrong; fix the discovery credentials in configuration`,
    };
  }
  return { scope: "account", code: name, message: `${name} assuming role ${roleArn}: ${message}` };
}
