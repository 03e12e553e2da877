import { EC2Client } from "@aws-sdk/client-ec2";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import type { GuardedFetchOptions } from "../outbound.ts";
import { GuardedAwsHandler } from "./http-handler.ts";

/** Static AWS credentials: the control plane's own key, or a role session's temporary ones. */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/**
 * How the control plane reaches AWS. `endpoint` replaces every service's endpoint (the replay
 * server in tests); left out, the SDK uses AWS's public regional endpoints.
 */
export interface AwsConnection {
  credentials: AwsCredentials;
  /**
   * How every SDK request leaves the process: judged by the SSRF guard (resolver, allowlist)
   * and pinned to the judged address. There is no way to build a client without it.
   */
  outbound: GuardedFetchOptions;
  endpoint?: string;
  /** The region STS is called in; regional STS keeps sessions valid in opt-in regions. */
  stsRegion?: string;
  /** Attempts per call, including throttled ones retried with the SDK's backoff. */
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 8;

/**
 * The SDK falls back to the instance metadata service only through its default credential
 * chain, which these factories never use; the variable makes that explicit should any code
 * path reach the chain anyway.
 */
function disableMetadataFallback(): void {
  process.env.AWS_EC2_METADATA_DISABLED = "true";
}

function common(connection: AwsConnection, credentials: AwsCredentials, region: string) {
  disableMetadataFallback();
  return {
    region,
    credentials,
    maxAttempts: connection.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    requestHandler: new GuardedAwsHandler(connection.outbound),
    ...(connection.endpoint ? { endpoint: connection.endpoint } : {}),
  };
}

/** An STS client signing with the control plane's own key. */
export function stsClient(connection: AwsConnection): STSClient {
  const region = connection.stsRegion ?? "us-east-1";
  return new STSClient(common(connection, connection.credentials, region));
}

/** An EC2 client for one region, signing with a role session's credentials. */
export function ec2Client(
  connection: AwsConnection,
  session: AwsCredentials,
  region: string,
): EC2Client {
  return new EC2Client(common(connection, session, region));
}

/** An S3 client for one region. Path-style addressing keeps a single replay endpoint usable. */
export function s3Client(
  connection: AwsConnection,
  session: AwsCredentials,
  region: string,
): S3Client {
  return new S3Client({
    ...common(connection, session, region),
    forcePathStyle: connection.endpoint !== undefined,
  });
}
