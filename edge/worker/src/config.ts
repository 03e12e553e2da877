import { parseControlPlaneUrl } from "@ringfence/engine/control";
import { z } from "zod";
import type { Env } from "./env.ts";

/** A configuration problem: the setting it concerns and what is wrong with it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";

  constructor(readonly issues: readonly { setting: string; message: string }[]) {
    super(
      `invalid worker configuration: ${issues.map((i) => `${i.setting}: ${i.message}`).join("; ")}`,
    );
  }
}

const httpUrl = z
  .url({ protocol: /^https?$/, error: "must be an absolute http(s) URL" })
  .transform((text) => new URL(text));

const controlPlaneUrl = z.string({ error: "is required" }).transform((text, ctx) => {
  try {
    return parseControlPlaneUrl(text, { allowInsecureLoopback: true });
  } catch (error) {
    ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : "invalid" });
    return z.NEVER;
  }
});

const secret = (minLength: number) =>
  z.string({ error: "is required" }).min(minLength, `must be at least ${minLength} characters`);

const integer = (fallback: number, min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .optional()
    .transform((text) => (text === undefined ? fallback : Number(text)))
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));

const trustedKeysJson = z.string({ error: "is required" }).transform((text, ctx) => {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    ctx.addIssue({ code: "custom", message: "must be a JSON array of { keyId, publicKey }" });
    return z.NEVER;
  }
});

const trustedKey = z.strictObject({
  keyId: z.string().min(1),
  publicKey: z.string().min(1),
});

const configSchema = z.object({
  ORIGIN_URL: httpUrl,
  CONTROL_PLANE_URL: controlPlaneUrl,
  ENFORCER_CREDENTIAL: secret(16),
  ENFORCER_ID: z.string().min(1).max(200).default("edge-worker"),
  ORGANIZATION_ID: z.string({ error: "is required" }).min(1).max(200),
  TRUSTED_KEYS: trustedKeysJson.pipe(z.array(trustedKey).min(1, "must name at least one key")),
  ORIGIN_SIGNING_SECRET: secret(32),
  STATUS_TOKEN: secret(16),
  BUNDLE_MAX_STALENESS_SECONDS: integer(30, 1, 86_400),
  EVENT_BATCH_SIZE: integer(100, 1, 1000),
  EVENT_LINGER_MS: integer(200, 0, 5000),
});

/** The checked configuration of one worker deployment. */
export interface WorkerConfig {
  originUrl: URL;
  controlPlaneUrl: URL;
  enforcerCredential: string;
  enforcerId: string;
  organizationId: string;
  trustedKeys: { keyId: string; publicKey: string }[];
  originSigningSecret: string;
  statusToken: string;
  bundleMaxStalenessMs: number;
  eventBatchSize: number;
  eventLingerMs: number;
}

/**
 * Reads the worker's vars and secrets. Throws a ConfigError that names every bad setting, so a
 * deployment with a typo fails on its first request with a message an operator can act on.
 */
export function parseConfig(env: Env): WorkerConfig {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => ({
        setting: String(issue.path[0] ?? "(environment)"),
        message: issue.message,
      })),
    );
  }
  const values = result.data;
  return {
    originUrl: values.ORIGIN_URL,
    controlPlaneUrl: values.CONTROL_PLANE_URL,
    enforcerCredential: values.ENFORCER_CREDENTIAL,
    enforcerId: values.ENFORCER_ID,
    organizationId: values.ORGANIZATION_ID,
    trustedKeys: values.TRUSTED_KEYS,
    originSigningSecret: values.ORIGIN_SIGNING_SECRET,
    statusToken: values.STATUS_TOKEN,
    bundleMaxStalenessMs: values.BUNDLE_MAX_STALENESS_SECONDS * 1000,
    eventBatchSize: values.EVENT_BATCH_SIZE,
    eventLingerMs: values.EVENT_LINGER_MS,
  };
}
