import { randomUUID } from "node:crypto";
import { escapeXml, type ReplayResponse, xml } from "../server.ts";
import type { SessionStore } from "./session.ts";
import type { AwsWorld } from "./world.ts";

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

/** Answers an STS Query API call made with the caller's long-lived key. */
export function handleSts(
  world: AwsWorld,
  sessions: SessionStore,
  params: URLSearchParams,
): ReplayResponse {
  const action = params.get("Action");
  if (action === "GetCallerIdentity") return callerIdentity(world);
  if (action !== "AssumeRole") return stsError(400, "InvalidAction", `unknown action ${action}`);

  const roleArn = params.get("RoleArn") ?? "";
  const sessionName = params.get("RoleSessionName") ?? "";
  if (!/^[\w+=,.@-]{2,64}$/.test(sessionName)) {
    return stsError(400, "ValidationError", "RoleSessionName must be 2-64 of [\\w+=,.@-]");
  }
  const account = world.accounts.find(
    (candidate) => roleArn === `arn:aws:iam::${candidate.accountId}:role/${candidate.roleName}`,
  );
  // AWS answers an unknown role and a wrong ExternalId alike, so a caller cannot probe roles.
  if (!account || params.get("ExternalId") !== account.externalId) {
    const message = `User: ${world.caller.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`;
    return stsError(403, "AccessDenied", message);
  }

  const session = sessions.issue(account, sessionName);
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  return xml(
    200,
    `<AssumeRoleResponse xmlns="${NS}"><AssumeRoleResult><Credentials>` +
      `<AccessKeyId>${session.accessKeyId}</AccessKeyId>` +
      `<SecretAccessKey>${escapeXml(session.secretAccessKey)}</SecretAccessKey>` +
      `<SessionToken>${escapeXml(session.sessionToken)}</SessionToken>` +
      `<Expiration>${expiration}</Expiration></Credentials>` +
      `<AssumedRoleUser><Arn>${escapeXml(session.assumedRoleArn)}</Arn>` +
      `<AssumedRoleId>AROAREPLAY:${escapeXml(sessionName)}</AssumedRoleId></AssumedRoleUser>` +
      `</AssumeRoleResult><ResponseMetadata><RequestId>${randomUUID()}</RequestId>` +
      "</ResponseMetadata></AssumeRoleResponse>",
  );
}

function callerIdentity(world: AwsWorld): ReplayResponse {
  return xml(
    200,
    `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>` +
      `<Arn>${escapeXml(world.caller.arn)}</Arn><UserId>AIDAREPLAY</UserId>` +
      "<Account>000000000000</Account></GetCallerIdentityResult>" +
      `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata>` +
      "</GetCallerIdentityResponse>",
  );
}

/** An STS error in the Query protocol's ErrorResponse envelope. */
export function stsError(status: number, code: string, message: string): ReplayResponse {
  const type = status >= 500 ? "Receiver" : "Sender";
  return xml(
    status,
    `<ErrorResponse xmlns="${NS}"><Error><Type>${type}</Type><Code>${code}</Code>` +
      `<Message>${escapeXml(message)}</Message></Error>` +
      `<RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  );
}
