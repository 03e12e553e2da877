import { z } from "zod";

const port = z.int().min(0).max(65535);
const loopbackHost = z
  .string()
  .refine(
    (host) =>
      /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === "::1" || host === "localhost",
    {
      message: "the metrics and health listener must bind a loopback address",
    },
  );

const upstreamUrl = z.string().refine(
  (text) => {
    try {
      const url = new URL(text);
      const plain = url.search === "" && url.hash === "" && !url.username && !url.password;
      return (url.protocol === "https:" || url.protocol === "http:") && plain;
    } catch {
      return false;
    }
  },
  { message: "an upstream must be an http:// or https:// URL without credentials, query or hash" },
);

/** One inbound application behind the reverse proxy. */
const reverseRoute = z.strictObject({
  /** Host the route answers for (without port); every Host when absent. */
  host: z
    .string()
    .regex(/^[A-Za-z0-9.-]{1,253}$/, { message: "expected a host name without port" })
    .optional(),
  pathPrefix: z.string().regex(/^\/[^?#\s]*$/, { message: "expected a path starting with /" }),
  upstream: upstreamUrl,
  /** Inspection profiles (ids in the bundle) run on every request and response of the route. */
  profiles: z.array(z.string().min(1)).default([]),
  /** Trust anchor (PEM file) for this upstream's TLS; the system store when absent. */
  upstreamCaFile: z.string().min(1).optional(),
});

const file = z.string().min(1);

/** A client of the S3 endpoint: its secret in a local file, or derived per-day signing keys. */
const s3Client = z.union([
  z.strictObject({ accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/), secretFile: file }),
  z.strictObject({ accessKeyId: z.string().regex(/^[A-Z0-9]{16,128}$/), signingKeysFile: file }),
]);

/** One rule of the S3 endpoint (IAM vocabulary; deny wins, then allow, default deny). */
const s3Rule = z.strictObject({
  id: z.string().min(1),
  effect: z.enum(["allow", "deny"]),
  principals: z.array(z.string().min(1)).optional(),
  buckets: z.array(z.string().min(1)).min(1),
  actions: z.array(z.string().regex(/^s3:[A-Za-z*]+$/, { message: "expected s3:Action" })).min(1),
  keyPrefix: z.string().optional(),
});

/** The S3 proxy endpoint: clients sign for it with keys this gateway issued. */
const s3Endpoint = z.strictObject({
  listen: z.strictObject({ host: z.string().min(1), port }),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: "expected a region like us-east-1" }),
  /** Names clients use for the endpoint (path-style `name/bucket`, virtual-hosted `bucket.name`). */
  hosts: z.array(z.string().regex(/^[A-Za-z0-9.-]{1,253}$/)).default([]),
  clients: z.array(s3Client).min(1),
  rules: z.array(s3Rule).min(1),
  upstream: z.strictObject({
    url: upstreamUrl,
    addressing: z.enum(["path", "virtual"]).default("path"),
    accessKeyId: z.string().min(1),
    /** The gateway's own secret for S3, read from this file; never from instance metadata. */
    secretAccessKeyFile: file,
    sessionTokenFile: file.optional(),
    caFile: file.optional(),
  }),
});

/**
 * The gateway's configuration file (JSON). Every field is validated at start and each error
 * names the setting, e.g. `listen.proxy.port: expected an integer`.
 */
export const gatewayConfigSchema = z.strictObject({
  name: z.string().min(1).max(100).default("gateway"),
  listen: z
    .strictObject({
      proxy: z
        .strictObject({ host: z.string().min(1).default("127.0.0.1"), port: port.default(3128) })
        .prefault({}),
      metrics: z
        .strictObject({ host: loopbackHost.default("127.0.0.1"), port: port.default(9464) })
        .prefault({}),
    })
    .prefault({}),
  /** Where the credential, verifier state, last good bundle and event spool live. */
  stateDir: z.string().min(1),
  controlPlane: z
    .strictObject({
      url: z.string().min(1),
      /** File holding the one-time registration token (used only until registered). */
      tokenFile: z.string().min(1).optional(),
      /** Extra trust anchor (PEM file) for the control plane's TLS. */
      caFile: z.string().min(1).optional(),
      /** Plain http to a literal loopback address; for local development and tests only. */
      allowInsecureLoopback: z.boolean().default(false),
      waitSeconds: z.int().min(0).max(60).default(30),
    })
    .optional(),
  /**
   * With no verified bundle (never synced, nothing on disk): deny everything (true, the default)
   * or allow in forwarding mode (false). The egress guard applies either way.
   */
  failClosed: z.boolean().default(true),
  resolver: z
    .discriminatedUnion("kind", [
      z.strictObject({ kind: z.literal("system") }),
      z.strictObject({
        kind: z.literal("static"),
        hosts: z.record(z.string(), z.array(z.string())),
      }),
    ])
    .default({ kind: "system" }),
  egress: z.strictObject({ allow: z.array(z.string()).default([]) }).prefault({}),
  upstreamCaFile: z.string().min(1).optional(),
  /** The reverse proxy in front of inbound applications (a WAF); off when absent. */
  reverse: z
    .strictObject({
      listen: z.strictObject({ host: z.string().min(1), port }),
      /** Certificate and key (PEM files) the listener terminates TLS with; plain HTTP without. */
      tls: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
      routes: z.array(reverseRoute).min(1),
    })
    .optional(),
  /** The S3 proxy endpoint; off when absent. */
  s3: s3Endpoint.optional(),
  orgCa: z.strictObject({ certFile: z.string().min(1), keyFile: z.string().min(1) }).optional(),
  trustedHops: z
    .strictObject({
      cidrs: z.array(z.string()).default([]),
      proxyProtocol: z.boolean().default(false),
      forwardedFor: z.boolean().default(false),
    })
    .prefault({}),
  workers: z.int().min(1).max(64).default(1),
  events: z
    .strictObject({
      batchSize: z.int().min(1).max(1000).default(500),
      flushMs: z.int().min(50).max(60_000).default(1000),
      maxSpoolBatches: z.int().min(1).max(1_000_000).default(10_000),
    })
    .prefault({}),
  shutdownGraceMs: z.int().min(0).max(600_000).default(10_000),
});

export type GatewayConfig = z.output<typeof gatewayConfigSchema>;

/** Thrown for an invalid configuration; the message lists every bad setting by path. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

/** Validates parsed JSON as a configuration. */
export function parseGatewayConfig(input: unknown): GatewayConfig {
  const parsed = gatewayConfigSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join(".") : "(root)";
    return `${where}: ${issue.message}`;
  });
  throw new ConfigError(`invalid gateway configuration: ${problems.join("; ")}`);
}
