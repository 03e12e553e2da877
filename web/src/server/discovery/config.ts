import { z } from "zod";
import type { AwsConnection } from "./aws/index.ts";
import type { AzureConnection } from "./azure/index.ts";
import type { GcpConnection } from "./gcp/index.ts";
import { type GuardedFetchOptions, guardedFetch } from "./outbound.ts";

/**
 * Discovery settings from the environment. Nothing has a default that reaches a cloud: a
 * provider is enabled only when its endpoints are set, and AWS's public endpoints must be asked
 * for by name (`RINGFENCE_AWS_ENDPOINT=public`). Each error names the setting.
 */
const urlSetting = z.string().url();
const envSchema = z.object({
  RINGFENCE_AWS_ACCESS_KEY_ID: z.string().min(16).optional(),
  RINGFENCE_AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  RINGFENCE_AWS_ENDPOINT: z.union([z.literal("public"), urlSetting]).optional(),
  RINGFENCE_AZURE_AUTHORITY_HOST: urlSetting.optional(),
  RINGFENCE_AZURE_ARM_ENDPOINT: urlSetting.optional(),
  RINGFENCE_GCP_TOKEN_URI: urlSetting.optional(),
  RINGFENCE_GCP_COMPUTE_ENDPOINT: urlSetting.optional(),
  RINGFENCE_GCP_STORAGE_ENDPOINT: urlSetting.optional(),
  RINGFENCE_AWS_TEMPLATE_URL: z.url({ protocol: /^https$/ }).optional(),
  RINGFENCE_AWS_PRINCIPAL_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:iam::\d{12}:(user|role)\/[\w+=,.@/-]{1,512}$/, "an IAM user or role ARN")
    .optional(),
});

/**
 * What the AWS onboarding link needs: where the role template is published (CloudFormation reads
 * templates from S3 over https) and the principal the role must trust. Only ever written into a
 * link for the customer to open; the control plane never fetches either.
 */
export interface AwsSetupSettings {
  templateUrl?: string;
  principalArn?: string;
}

/** The per-provider connections a control plane has; a missing one cannot be synced. */
export interface DiscoveryConnections {
  aws?: AwsConnection;
  azure?: AzureConnection;
  gcp?: GcpConnection;
  awsSetup: AwsSetupSettings;
}

/**
 * Reads the connections. Every call they make goes through the SSRF guard with `outbound`'s
 * resolver and allowlist: Azure and GCP through the guarded fetch, AWS through the guarded SDK
 * request handler.
 */
export function discoveryConnectionsFromEnv(
  env: Record<string, string | undefined>,
  outbound: GuardedFetchOptions,
): DiscoveryConnections {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`discovery setting ${String(issue?.path[0])} is invalid: ${issue?.message}`);
  }
  const e = parsed.data;
  const fetch = guardedFetch(outbound);
  const out: DiscoveryConnections = {
    awsSetup: {
      ...(e.RINGFENCE_AWS_TEMPLATE_URL ? { templateUrl: e.RINGFENCE_AWS_TEMPLATE_URL } : {}),
      ...(e.RINGFENCE_AWS_PRINCIPAL_ARN ? { principalArn: e.RINGFENCE_AWS_PRINCIPAL_ARN } : {}),
    },
  };
  if (
    e.RINGFENCE_AWS_ACCESS_KEY_ID &&
    e.RINGFENCE_AWS_SECRET_ACCESS_KEY &&
    e.RINGFENCE_AWS_ENDPOINT
  ) {
    out.aws = {
      credentials: {
        accessKeyId: e.RINGFENCE_AWS_ACCESS_KEY_ID,
        secretAccessKey: e.RINGFENCE_AWS_SECRET_ACCESS_KEY,
      },
      outbound,
      ...(e.RINGFENCE_AWS_ENDPOINT === "public" ? {} : { endpoint: e.RINGFENCE_AWS_ENDPOINT }),
    };
  }
  if (e.RINGFENCE_AZURE_AUTHORITY_HOST && e.RINGFENCE_AZURE_ARM_ENDPOINT) {
    out.azure = {
      fetch,
      authorityHost: e.RINGFENCE_AZURE_AUTHORITY_HOST,
      armEndpoint: e.RINGFENCE_AZURE_ARM_ENDPOINT,
    };
  }
  if (
    e.RINGFENCE_GCP_TOKEN_URI &&
    e.RINGFENCE_GCP_COMPUTE_ENDPOINT &&
    e.RINGFENCE_GCP_STORAGE_ENDPOINT
  ) {
    out.gcp = {
      fetch,
      tokenUri: e.RINGFENCE_GCP_TOKEN_URI,
      computeEndpoint: e.RINGFENCE_GCP_COMPUTE_ENDPOINT,
      storageEndpoint: e.RINGFENCE_GCP_STORAGE_ENDPOINT,
    };
  }
  return out;
}
