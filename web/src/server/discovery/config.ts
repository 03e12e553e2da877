import { z } from "zod";
import type { AwsConnection } from "./aws/index.ts";
import type { AzureConnection } from "./azure/index.ts";
import type { GcpConnection } from "./gcp/index.ts";
import type { OutboundFetch } from "./types.ts";

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
});

/** The per-provider connections a control plane has; a missing one cannot be synced. */
export interface DiscoveryConnections {
  aws?: AwsConnection;
  azure?: AzureConnection;
  gcp?: GcpConnection;
}

/** Reads the connections; `fetch` is the SSRF-guarded fetch the Azure and GCP calls use. */
export function discoveryConnectionsFromEnv(
  env: Record<string, string | undefined>,
  fetch: OutboundFetch,
): DiscoveryConnections {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`discovery setting ${String(issue?.path[0])} is invalid: ${issue?.message}`);
  }
  const e = parsed.data;
  const out: DiscoveryConnections = {};
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
