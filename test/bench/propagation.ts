/**
 * Propagation benchmark, loopback only, bounded in count and time: a real control plane process
 * and a real `ringfence gateway` process registered with a one-time token. It measures
 * (a) an inventory tag change (import API + `POST /policy/recompile`) and (b) a publish, each
 * until the gateway enforces the new bundle version and a real request through its proxy shows
 * the flipped decision. Writes bench-results/propagation.json.
 */
import { writeFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Started } from "../e2e/process.ts";
import { startProcess } from "../e2e/process.ts";
import { type ControlPlane, childEnv, runDirectory, startControlPlane } from "../e2e/stack.ts";
import { bundleVersion, proxiedStatus } from "./lib/gateway-probe.ts";
import {
  BACKEND_HOST,
  BENCH_AWS_ACCOUNT,
  instancesFile,
  policyYaml,
} from "./lib/policy-fixture.ts";
import { ROOT, writeResult } from "./lib/results.ts";
import { quantile, round } from "./lib/stats.ts";

const CHANGES = Number(process.env.BENCH_PROPAGATION_CHANGES ?? 100);
const CHANGE_TIMEOUT_MS = 15_000;
// Split evenly between the two kinds, so a slow first kind cannot starve the second; a kind that
// runs out of budget reports how many changes it measured.
const TOTAL_BUDGET_MS = Number(process.env.BENCH_PROPAGATION_BUDGET_MS ?? 400_000);

interface Stack {
  cp: ControlPlane;
  gateway: Started;
  proxyPort: number;
  metricsPort: number;
  backendPort: number;
  accountId: string;
  /** Proxied probes the gateway reset instead of answering; reported, never counted as done. */
  resets: number;
}

/** A change: what it sends, and the status a request through the gateway must then get. */
type Change = { apply(): Promise<void>; expect: 200 | 403 };

async function startGateway(dir: string, cp: ControlPlane) {
  const { token } = await cp.api.expect<{ token: string }>(
    201,
    "POST",
    `/api/v1/orgs/${cp.organizationId}/enforcer-registrations`,
    { name: "bench-propagation" },
  );
  const tokenFile = join(dir, "gateway-token");
  writeFileSync(tokenFile, token, { mode: 0o600 });
  const config = {
    name: "bench-propagation",
    listen: { proxy: { host: "127.0.0.1", port: 0 }, metrics: { host: "127.0.0.1", port: 0 } },
    stateDir: join(dir, "gateway-state"),
    controlPlane: { url: cp.url, tokenFile, allowInsecureLoopback: true, waitSeconds: 30 },
    resolver: { kind: "static", hosts: { [BACKEND_HOST]: ["127.0.0.1"] } },
    egress: { allow: ["127.0.0.1/32"] },
    shutdownGraceMs: 500,
  };
  const configFile = join(dir, "gateway.json");
  writeFileSync(configFile, JSON.stringify(config));
  return startProcess({
    name: "gateway",
    command: join(ROOT, "node_modules/.bin/tsx"),
    args: ["edge/cli/src/main.ts", "gateway", "--config", configFile],
    cwd: ROOT,
    env: childEnv({}),
    isReady: (line) => line.ready === "gateway",
  });
}

function startBackend(): Promise<{ port: number; close(): void }> {
  const server = http.createServer((_req, res) => res.end("ok"));
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () => server.close(),
      }),
    ),
  );
}

/** Onboards an offline AWS account, imports the tagged instance and publishes the policy. */
async function prepareOrg(cp: ControlPlane): Promise<string> {
  const org = `/api/v1/orgs/${cp.organizationId}`;
  const account = (await ok(cp, `${org}/accounts`, {
    provider: "aws",
    name: "bench",
    offline: true,
    accountId: BENCH_AWS_ACCOUNT,
  })) as { id: string };
  await importTag(cp, account.id, "allowed");
  await ok(cp, `${org}/policy/apply`, { text: policyYaml("allow") });
  await ok(cp, `${org}/policy/publish`, {});
  return account.id;
}

/** POSTs `body` and fails naming the answer unless it is 2xx; returns the parsed body. */
async function ok(cp: ControlPlane, path: string, body: unknown): Promise<unknown> {
  const answer = await cp.api.call("POST", path, body);
  if (answer.status < 200 || answer.status > 299) {
    throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return answer.body;
}

async function importTag(cp: ControlPlane, accountId: string, tag: "allowed" | "denied") {
  const path = `/api/v1/orgs/${cp.organizationId}/accounts/${accountId}/import`;
  await ok(cp, path, { files: [{ name: "describe-instances.json", text: instancesFile(tag) }] });
}

/** Waits until the gateway holds a newer bundle and a proxied request gets `expect`; ms. */
async function untilEnforced(stack: Stack, before: number, expect: number, started: number) {
  const deadline = started + CHANGE_TIMEOUT_MS;
  while (performance.now() < deadline) {
    if ((await bundleVersion(stack.metricsPort)) > before) {
      // A connection reset while the bundle is swapped counts as "not enforced yet", not success.
      const status = await proxiedStatus(stack.proxyPort, BACKEND_HOST, stack.backendPort).catch(
        () => {
          stack.resets += 1;
          return 0;
        },
      );
      if (status === expect) return performance.now() - started;
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`the gateway did not enforce the change within ${CHANGE_TIMEOUT_MS} ms`);
}

/** Runs `count` alternating changes; returns each change's propagation time in ms. */
async function measure(stack: Stack, changes: [Change, Change], count: number, budgetEnd: number) {
  const times: number[] = [];
  for (let i = 0; i < count && performance.now() < budgetEnd; i += 1) {
    const change = changes[i % 2] as Change;
    const before = await bundleVersion(stack.metricsPort);
    const started = performance.now();
    await change.apply();
    times.push(await untilEnforced(stack, before, change.expect, started));
  }
  return times;
}

function summary(times: number[]) {
  return {
    changes: times.length,
    p50Ms: round(quantile(times, 0.5)),
    p99Ms: round(quantile(times, 0.99)),
    maxMs: round(Math.max(...times)),
  };
}

async function main(): Promise<void> {
  const run = runDirectory();
  const backend = await startBackend();
  let cp: ControlPlane | undefined;
  let gateway: Started | undefined;
  try {
    cp = await startControlPlane(run.dir);
    const accountId = await prepareOrg(cp);
    gateway = await startGateway(run.dir, cp);
    const stack: Stack = {
      cp,
      gateway,
      proxyPort: Number(gateway.ready.proxy),
      metricsPort: Number(gateway.ready.metrics),
      backendPort: backend.port,
      accountId,
      resets: 0,
    };
    const live = stack.cp;
    const org = `/api/v1/orgs/${live.organizationId}`;
    await untilEnforced(stack, 0, 200, performance.now());

    const retag = (tag: "allowed" | "denied"): Change => ({
      expect: tag === "allowed" ? 200 : 403,
      apply: async () => {
        await importTag(live, accountId, tag);
        await ok(live, `${org}/policy/recompile`, {});
      },
    });
    const half = () => performance.now() + TOTAL_BUDGET_MS / 2;
    const inventory = await measure(stack, [retag("denied"), retag("allowed")], CHANGES, half());

    const publish = (action: "allow" | "deny"): Change => ({
      expect: action === "allow" ? 200 : 403,
      apply: async () => {
        await ok(live, `${org}/policy/apply`, { text: policyYaml(action) });
        await ok(live, `${org}/policy/publish`, {});
      },
    });
    const published = await measure(stack, [publish("deny"), publish("allow")], CHANGES, half());

    const output = {
      config: { changesPerKind: CHANGES, changeTimeoutMs: CHANGE_TIMEOUT_MS, database: "PGlite" },
      inventoryToEnforced: summary(inventory),
      publishToEnforced: summary(published),
      probeResets: stack.resets,
      goal: { p99MsAtMost: 5000 },
    };
    writeResult("propagation.json", output);
    console.log(JSON.stringify(output, null, 2));
  } finally {
    await gateway?.stop();
    await cp?.process.stop();
    backend.close();
    run.cleanup();
  }
}

await main();
