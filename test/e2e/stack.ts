import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, seedDemo } from "@ringfence/db";
import {
  DEMO_DATA_BUCKET,
  DEMO_GATEWAY_VPCE,
  DEMO_PATCHES_BUCKET,
  DEMO_AWS_ACCOUNT as OWNER,
} from "../../db/src/seed/demo-inventory.ts";
import { type RunningS3, startS3Server } from "../s3/server.ts";
import { ControlPlaneApi } from "./api.ts";
import { NAMESPACE_ADDRESSES as NET } from "./netns.ts";
import { type Started, startProcess } from "./process.ts";
import { customerRecords, patchPackage } from "./records.ts";

export const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const TSX = join(ROOT, "node_modules/.bin/tsx");
export const DEMO_PASSWORD = "replay-password-2019";
/** The stolen role's access key: valid credentials of the bucket owner's account. */
export const STOLEN_ACCESS_KEY = "AKIAREPLAYWAFROLE019";
export const PATCH_KEY = "centos7/openssl-1.0.2k-26.el7_9.x86_64.rpm";
export const RECORDS_KEY = "exports/customers-2019.csv";
export const s3Host = (bucket: string) => `${bucket}.s3.us-east-1.amazonaws.com`;

/**
 * The environment every child gets: nothing inherited that could aim it elsewhere (no proxy
 * variables, no cloud credentials), and the SDK's metadata fallback off.
 */
export function childEnv(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: process.env.HOME ?? "/root",
    NODE_ENV: "test",
    AWS_EC2_METADATA_DISABLED: "true",
    METADATA_SERVER_DETECTION: "none",
    ...extra,
  };
}

export interface ControlPlane {
  url: string;
  api: ControlPlaneApi;
  organizationId: string;
  process: Started;
}

/** Seeds the demo organisation into a fresh PGlite directory, then serves it as a process. */
export async function startControlPlane(dir: string): Promise<ControlPlane> {
  const dataDir = join(dir, "pgdata");
  const database = await openDatabase({ dataDir });
  const seed = await seedDemo(database.db, { password: DEMO_PASSWORD });
  await database.close();

  const started = await startProcess({
    name: "control plane",
    command: TSX,
    args: ["web/src/server/serve.ts", "--host", "127.0.0.1", "--port", "0"],
    cwd: ROOT,
    env: childEnv({
      RINGFENCE_DATA_DIR: dataDir,
      RINGFENCE_KEK: randomBytes(32).toString("base64"),
      RINGFENCE_LOG: "silent",
      // The local webhook receiver is on loopback; integrations reach it only when allowed.
      RINGFENCE_INTEGRATION_EGRESS_ALLOW: "127.0.0.1/32",
    }),
    isReady: (line) => line.ready === "control-plane",
  });
  const url = String(started.ready.url);
  const api = new ControlPlaneApi(url);
  await api.signIn("demo@ringfence.local", DEMO_PASSWORD);
  return { url, api, organizationId: seed.organizationId, process: started };
}

/** The S3 side: the gateways' VPC endpoint and the public endpoint, both on port 80. */
export function startS3(): Promise<RunningS3> {
  return startS3Server({
    endpoints: [
      { host: NET.s3VpcEndpoint, port: 80, vpce: DEMO_GATEWAY_VPCE },
      { host: NET.s3Public, port: 80 },
    ],
    accessKeys: { [STOLEN_ACCESS_KEY]: OWNER },
    buckets: {
      [DEMO_PATCHES_BUCKET]: { owner: OWNER, objects: { [PATCH_KEY]: patchPackage(256 * 1024) } },
      [DEMO_DATA_BUCKET]: { owner: OWNER, objects: { [RECORDS_KEY]: customerRecords(20_000) } },
    },
  });
}

export interface Gateway {
  proxy: { host: string; port: number };
  process: Started;
  enforcerName: string;
}

/** Registers a gateway through the API and runs `ringfence gateway` against the control plane. */
export async function startGateway(dir: string, cp: ControlPlane): Promise<Gateway> {
  const enforcerName = "gw-ops-use1-a";
  const { token } = await cp.api.expect<{ token: string }>(
    201,
    "POST",
    `/api/v1/orgs/${cp.organizationId}/enforcer-registrations`,
    { name: enforcerName },
  );
  const tokenFile = join(dir, "gateway-token");
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const hosts = Object.fromEntries(
    [DEMO_PATCHES_BUCKET, DEMO_DATA_BUCKET].map((b) => [s3Host(b), [NET.s3VpcEndpoint]]),
  );
  const config = {
    name: enforcerName,
    listen: { proxy: { host: NET.gateway, port: 0 }, metrics: { host: "127.0.0.1", port: 0 } },
    stateDir: join(dir, "gateway-state"),
    controlPlane: { url: cp.url, tokenFile, allowInsecureLoopback: true, waitSeconds: 5 },
    resolver: { kind: "static", hosts },
    egress: { allow: [`${NET.s3VpcEndpoint}/32`] },
    events: { flushMs: 200 },
    shutdownGraceMs: 1000,
  };
  const configFile = join(dir, "gateway.json");
  writeFileSync(configFile, JSON.stringify(config, null, 2));

  const started = await startProcess({
    name: "gateway",
    command: TSX,
    args: [...(await gatewayCommand()), "--config", configFile],
    cwd: ROOT,
    env: childEnv({}),
    isReady: (line) => line.ready === "gateway",
  });
  return {
    proxy: { host: NET.gateway, port: Number(started.ready.proxy) },
    process: started,
    enforcerName,
  };
}

export interface EdgeWorker {
  url: string;
  enforcerName: string;
  stop(): Promise<void>;
}

interface Registered {
  enforcerId: string;
  organizationId: string;
  credential: string;
  trustedKeys: { keyId: string; publicKey: string }[];
}

/**
 * Registers an edge worker through the API and runs it with `wrangler dev` (the worker team's
 * own launcher, offline settings included), its origin being the vulnerable app.
 */
export async function startWorker(
  dir: string,
  cp: ControlPlane,
  origin: string,
): Promise<EdgeWorker> {
  const enforcerName = "edge-acme-web";
  const { token } = await cp.api.expect<{ token: string }>(
    201,
    "POST",
    `/api/v1/orgs/${cp.organizationId}/enforcer-registrations`,
    { name: enforcerName },
  );
  const res = await fetch(new URL("/api/v1/enforcers/register", cp.url), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ kind: "worker" }),
  });
  if (res.status !== 201) throw new Error(`worker registration: ${res.status} ${await res.text()}`);
  const registered = (await res.json()) as Registered;

  const vars: Record<string, string> = {
    ORIGIN_URL: origin,
    CONTROL_PLANE_URL: cp.url,
    ENFORCER_CREDENTIAL: registered.credential,
    ENFORCER_ID: registered.enforcerId,
    ORGANIZATION_ID: registered.organizationId,
    TRUSTED_KEYS: JSON.stringify(registered.trustedKeys),
    ORIGIN_SIGNING_SECRET: randomBytes(32).toString("hex"),
    STATUS_TOKEN: randomBytes(16).toString("hex"),
    BUNDLE_MAX_STALENESS_SECONDS: "2",
    EVENT_LINGER_MS: "0",
  };
  const args = ["--persist-to", join(dir, "wrangler-state")];
  for (const [name, value] of Object.entries(vars)) args.push("--var", `${name}:${value}`);
  const { startWranglerDev } = await import("../../edge/worker/test/node/wrangler-dev.ts");
  const dev = await startWranglerDev(args, 240_000);
  return { url: dev.url, enforcerName, stop: dev.stop };
}

/** `ringfence gateway`, or the stopgap entry while the CLI's table lacks the command. */
async function gatewayCommand(): Promise<string[]> {
  const { COMMANDS } = await import("../../edge/cli/src/commands/index.ts");
  return "gateway" in COMMANDS
    ? ["edge/cli/src/main.ts", "gateway"]
    : ["test/e2e/gateway-entry.ts"];
}

/** A temporary directory for one run, removed by `cleanup`. */
export function runDirectory(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), "ringfence-e2e-"));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
