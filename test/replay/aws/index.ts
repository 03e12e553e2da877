import {
  type ReplayRequest,
  type ReplayResponse,
  type RunningServer,
  startReplayServer,
} from "../server.ts";
import { handleEc2 } from "./ec2.ts";
import { ec2ErrorXml } from "./ec2-xml.ts";
import { handleS3, s3Error } from "./s3.ts";
import { SessionStore } from "./session.ts";
import { parseSigV4 } from "./sigv4.ts";
import { handleSts, stsError } from "./sts.ts";
import type { AwsWorld } from "./world.ts";

export { type SyntheticOptions, syntheticAwsAccount } from "./synthetic.ts";
export * from "./world.ts";

/** A running AWS replay: one endpoint for STS, EC2 and S3, and a count of calls by action. */
export interface AwsReplay extends RunningServer {
  world: AwsWorld;
  /** Calls received, keyed `service:Action` (`ec2:DescribeInstances`, `s3:policy`, …). */
  calls: Map<string, number>;
}

/**
 * Starts an AWS replay server on 127.0.0.1. The service is taken from the SigV4 credential
 * scope, as AWS routes by host name and a single loopback endpoint has only one.
 */
export async function startAwsReplay(world: AwsWorld): Promise<AwsReplay> {
  const sessions = new SessionStore();
  const calls = new Map<string, number>();
  const server = await startReplayServer((request) => route(world, sessions, calls, request));
  return { ...server, world, calls };
}

function route(
  world: AwsWorld,
  sessions: SessionStore,
  calls: Map<string, number>,
  request: ReplayRequest,
): ReplayResponse {
  const scope = parseSigV4(header(request, "authorization"));
  if ("error" in scope) return stsError(403, "MissingAuthenticationToken", scope.error);
  const params = new URLSearchParams(request.method === "POST" ? request.body : request.url.search);
  const label = `${scope.service}:${params.get("Action") ?? subresource(request.url)}`;
  calls.set(label, (calls.get(label) ?? 0) + 1);

  if (scope.service === "sts") {
    if (scope.accessKeyId !== world.caller.accessKeyId) {
      return stsError(
        403,
        "InvalidClientTokenId",
        "The security token included in the request is invalid.",
      );
    }
    return handleSts(world, sessions, params);
  }
  const session = sessions.find(scope.accessKeyId, header(request, "x-amz-security-token"));
  if (scope.service === "ec2") {
    if (!session) return xml401Ec2();
    return handleEc2(world, session, scope.region, params);
  }
  if (scope.service === "s3") {
    if (!session)
      return s3Error(
        403,
        "InvalidAccessKeyId",
        "The AWS Access Key Id you provided does not exist in our records.",
      );
    return handleS3(session, request.method, request.url);
  }
  return stsError(400, "UnknownService", `no replay for service ${scope.service}`);
}

function xml401Ec2(): ReplayResponse {
  return {
    status: 401,
    headers: { "content-type": "text/xml" },
    body: ec2ErrorXml(
      "AuthFailure",
      "AWS was not able to validate the provided access credentials",
    ),
  };
}

function header(request: ReplayRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function subresource(url: URL): string {
  const key = [...url.searchParams.keys()].find((name) => name !== "x-id");
  return key ?? (url.pathname === "/" ? "ListBuckets" : "object");
}
