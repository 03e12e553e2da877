// The README's run command: the whole product on the embedded database with a demo
// organisation. It prepares the data, then starts the console and control plane (Next.js), the
// VM gateway, a demo origin and the edge worker in front of it, prints where each one listens,
// and stops them all on Ctrl-C. Everything binds to 127.0.0.1.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { prepareDemo } from "../web/src/server/demo/prepare.ts";
import { jsonReady, runToEnd, start, stopAll } from "./lib/supervisor.ts";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const stateDir = join(root, ".ringfence");
const ports = {
  console: Number(process.env.RINGFENCE_CONSOLE_PORT ?? 3000),
  gateway: Number(process.env.RINGFENCE_GATEWAY_PORT ?? 3128),
  gatewayMetrics: Number(process.env.RINGFENCE_GATEWAY_METRICS_PORT ?? 9464),
  worker: Number(process.env.RINGFENCE_WORKER_PORT ?? 8787),
  origin: Number(process.env.RINGFENCE_ORIGIN_PORT ?? 8788),
};
const DEMO_PASSWORD = process.env.RINGFENCE_DEMO_PASSWORD ?? "ringfence-demo";

/**
 * The key-encryption key lives outside the data directory (a copy of the data must not carry
 * the key that opens it): in the user's configuration folder unless RINGFENCE_KEK(_FILE) is set.
 */
function kekEnv(): Record<string, string> {
  if (process.env.RINGFENCE_KEK || process.env.RINGFENCE_KEK_FILE) return {};
  const configHome = process.env.XDG_CONFIG_HOME ?? join(homedir(), ".config");
  const file = join(configHome, "ringfence", "demo-kek");
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, randomBytes(32).toString("base64"), { mode: 0o600 });
  }
  return { RINGFENCE_KEK_FILE: file };
}

const env: Record<string, string> = {
  ...(process.env as Record<string, string>),
  ...kekEnv(),
  RINGFENCE_DATA_DIR: process.env.RINGFENCE_DATA_DIR ?? join(stateDir, "pgdata"),
  RINGFENCE_PUBLIC_URL: `http://127.0.0.1:${ports.console}`,
  RINGFENCE_TRUST_PROXY: "true",
  NEXT_TELEMETRY_DISABLED: "1",
  WRANGLER_SEND_METRICS: "false",
  // wrangler dev would otherwise report errors, check npm for updates and download Cloudflare's
  // Request.cf metadata; edge/worker/test/node/offline.test.ts proves it stays on loopback.
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  AWS_EC2_METADATA_DISABLED: "true",
  METADATA_SERVER_DETECTION: "none",
};

/**
 * Next.js builds once, and again when the checkout changed since (a pull or a commit touches
 * the git index), so a start after an update never serves a stale console.
 */
function needsBuild(): boolean {
  const buildId = join(root, "web", ".next", "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const index = join(root, ".git", "index");
  return existsSync(index) && statSync(index).mtimeMs > statSync(buildId).mtimeMs;
}

function gatewayConfig(tokenFile: string): string {
  const dir = join(stateDir, "gateway");
  const file = join(dir, "config.json");
  const config = {
    name: "local-gateway",
    listen: {
      proxy: { host: "127.0.0.1", port: ports.gateway },
      metrics: { host: "127.0.0.1", port: ports.gatewayMetrics },
    },
    stateDir: join(dir, "state"),
    controlPlane: {
      url: `http://127.0.0.1:${ports.console}`,
      tokenFile,
      allowInsecureLoopback: true,
    },
    // The demo resolves names from this table only; nothing is looked up on the network.
    resolver: { kind: "static", hosts: { "demo-origin.local": ["127.0.0.1"] } },
    egress: { allow: ["127.0.0.1/32"] },
  };
  writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`);
  return file;
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      if (response.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

async function main(): Promise<void> {
  mkdirSync(stateDir, { recursive: true });
  console.log("Preparing the embedded database and the demo organisation…");
  const demo = await prepareDemo({ env, stateDir, password: DEMO_PASSWORD });

  if (needsBuild()) {
    console.log("Building the console (once; later starts reuse the build)…");
    await runToEnd({
      name: "build",
      command: "pnpm",
      args: ["--filter", "@ringfence/web", "build"],
      env,
    });
  }

  await start({
    name: "console",
    command: "pnpm",
    args: [
      "--filter",
      "@ringfence/web",
      "exec",
      "next",
      "start",
      "-H",
      "127.0.0.1",
      "-p",
      String(ports.console),
    ],
    env: { ...env, RINGFENCE_DATA_DIR: resolve(env.RINGFENCE_DATA_DIR ?? "") },
  });
  await waitForHttp(`http://127.0.0.1:${ports.console}/api/openapi.json`, 180_000);

  const gateway = await start({
    name: "gateway",
    command: "pnpm",
    args: ["--silent", "ringfence", "gateway", "--config", gatewayConfig(demo.gatewayTokenFile)],
    env,
    ready: jsonReady("gateway"),
  });

  await start({
    name: "origin",
    command: "pnpm",
    args: [
      "--silent",
      "exec",
      "tsx",
      "test/vulnerable-app/main.ts",
      "--port",
      String(ports.origin),
      "--proxy-port",
      String(ports.gateway),
    ],
    env,
    ready: jsonReady("vulnerable-app"),
  });

  await runToEnd({
    name: "dev-vars",
    command: "pnpm",
    args: [
      "--silent",
      "exec",
      "tsx",
      "edge/worker/scripts/dev-vars.ts",
      "--control-plane-url",
      `http://127.0.0.1:${ports.console}/`,
      "--credential",
      demo.worker.credential,
      "--organization-id",
      demo.worker.organizationId,
      "--enforcer-id",
      demo.worker.enforcerId,
      "--trusted-keys",
      JSON.stringify(demo.worker.trustedKeys),
      "--origin-url",
      `http://127.0.0.1:${ports.origin}`,
    ],
    env,
  });
  await start({
    name: "worker",
    command: "pnpm",
    args: [
      "--filter",
      "@ringfence/worker",
      "exec",
      "wrangler",
      "dev",
      "--ip",
      "127.0.0.1",
      "--port",
      String(ports.worker),
    ],
    env,
    ready: (line) =>
      line.includes("Ready on") ? { url: `http://127.0.0.1:${ports.worker}` } : undefined,
  });

  const consoleUrl = `http://127.0.0.1:${ports.console}`;
  console.log(`
Ringfence is running.
  Console and API   ${consoleUrl}   (API under /api/v1, OpenAPI at /api/openapi.json)
  Demo login        demo@ringfence.local / ${DEMO_PASSWORD}
  VM gateway        proxy 127.0.0.1:${String(gateway.info.proxy ?? ports.gateway)}, metrics http://127.0.0.1:${ports.gatewayMetrics}/metrics
  Edge worker       http://127.0.0.1:${ports.worker}   (in front of the demo origin on :${ports.origin})
  Data              ${env.RINGFENCE_DATA_DIR}
Replay the breach against it with: pnpm demo
Press Ctrl-C to stop everything.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  void stopAll(1);
});
