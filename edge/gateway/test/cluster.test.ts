import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startControlPlane, type TestControlPlane } from "./control-plane.ts";
import { resolvedPolicy, waitFor } from "./helpers.ts";
import { httpsViaConnect, makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

// A real `ringfence gateway` in cluster mode (a primary and two node:cluster workers, each its
// own process) against the test control plane: the primary alone registers, syncs and ships
// events; the workers serve clients with the policy the primary pushes to them, a restarted
// worker included.

const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let control: TestControlPlane;
let dir: string;
let child: ChildProcess | undefined;
let primaryPid: number | undefined;

beforeAll(async () => {
  pki = await makePki(["api.test"]);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  control = await startControlPlane();
  dir = await mkdtemp(path.join(os.tmpdir(), "rf-gw-cluster-"));
  await writeFile(path.join(dir, "token"), "rfr_test-token");
  await writeFile(path.join(dir, "upstream-ca.pem"), pki.upstreamCa.certPem);
});
afterAll(async () => {
  // The tsx wrapper relays signals to the primary; a failed test may leave the primary itself.
  if (child?.exitCode === null) child.kill("SIGKILL");
  if (primaryPid !== undefined) {
    for (const pid of [...workerPids(primaryPid), primaryPid]) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  }
  upstream.close();
  await control.close();
  await rm(dir, { recursive: true, force: true });
});

type Ready = { proxy: number; metrics: number; workers: number; pid: number };

async function startCluster(): Promise<Ready> {
  const config = {
    stateDir: path.join(dir, "state"),
    listen: { proxy: { port: 0 }, metrics: { port: 0 } },
    controlPlane: {
      url: control.url,
      tokenFile: path.join(dir, "token"),
      allowInsecureLoopback: true,
      waitSeconds: 1,
    },
    resolver: { kind: "static", hosts: { "api.test": ["127.0.0.1"] } },
    egress: { allow: ["127.0.0.0/8"] },
    upstreamCaFile: path.join(dir, "upstream-ca.pem"),
    workers: 2,
    events: { flushMs: 50 },
    shutdownGraceMs: 500,
  };
  const file = path.join(dir, "gateway.json");
  await writeFile(file, JSON.stringify(config));
  const tsx = path.join(ROOT, "node_modules/.bin/tsx");
  child = spawn(tsx, ["edge/cli/src/main.ts", "gateway", "--config", file], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, AWS_EC2_METADATA_DISABLED: "true" },
  });
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    if (line.includes('"ready"')) return JSON.parse(line) as Ready;
  }
  throw new Error("the gateway exited before its ready line");
}

/** Statuses of `count` fresh connections from `localAddress` (spread over the workers). */
async function statuses(ready: Ready, localAddress: string, count = 6): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const result = await httpsViaConnect({
      gatewayPort: ready.proxy,
      authority: `api.test:${upstream.port}`,
      servername: "api.test",
      ca: pki.upstreamCa.certPem,
      localAddress,
    });
    out.push("status" in result ? String(result.status) : result.error);
  }
  return out;
}

const allOk = (list: string[]) => list.every((status) => status === "200");
/** The primary's children that run the gateway (tsx also keeps an esbuild child there). */
function workerPids(primary: number): number[] {
  let listing = "";
  try {
    listing = execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(primary)], {
      encoding: "utf8",
    });
  } catch {
    // ps exits 1 when the primary has no children left.
  }
  return listing
    .split("\n")
    .filter((line) => line.includes("gateway"))
    .map((line) => Number.parseInt(line.trim(), 10));
}

async function gauge(ready: Ready, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${ready.metrics}/metrics`)).text();
  return Number(new RegExp(`^${name} (\\d+)`, "m").exec(text)?.[1] ?? -1);
}
const bundleVersion = (ready: Ready) => gauge(ready, "ringfence_gateway_bundle_version");
const listening = (ready: Ready) => gauge(ready, "ringfence_gateway_workers_listening");

describe("cluster mode", () => {
  it("syncs once in the primary and enforces every pushed policy in every worker", async () => {
    await control.publish(resolvedPolicy([{ id: "a", src: ["127.0.0.2"], host: "api.test" }]));
    const ready = await startCluster();
    expect(ready.workers).toBe(2);
    primaryPid = ready.pid;
    await waitFor(
      async () => (await bundleVersion(ready)) === 1,
      "bundle 1 in the primary",
      15_000,
    );
    await waitFor(
      async () => allOk(await statuses(ready, "127.0.0.2")),
      "bundle 1 in workers",
      15_000,
    );
    expect(await statuses(ready, "127.0.0.5")).toEqual(Array(6).fill("CONNECT answered 403"));

    await control.publish(resolvedPolicy([{ id: "b", src: ["127.0.0.5"], host: "api.test" }]));
    await waitFor(
      async () => allOk(await statuses(ready, "127.0.0.5")),
      "bundle 2 in workers",
      15_000,
    );
    expect(await statuses(ready, "127.0.0.2")).toEqual(Array(6).fill("CONNECT answered 403"));

    // Replace both original workers, one at a time so one always listens: whatever answers
    // afterwards is a restarted worker, and it must enforce bundle 2 from its first connection.
    for (const original of workerPids(ready.pid)) {
      process.kill(original, "SIGKILL");
      await waitFor(
        async () => {
          const now = workerPids(ready.pid);
          return now.length === 2 && !now.includes(original) && (await listening(ready)) === 2;
        },
        "a replacement worker listening",
        15_000,
      );
    }
    expect(await statuses(ready, "127.0.0.5")).toEqual(Array(6).fill("200"));

    // One registration: only the primary talks to the control plane, for sync and events alike.
    expect(control.registrations).toHaveLength(1);
    await waitFor(
      () => control.batches.flat().some((event) => event.src.ip === "127.0.0.5"),
      "worker events shipped by the primary",
    );
    const exited = new Promise<number | null>((resolve) => child?.once("exit", resolve));
    child?.kill("SIGTERM");
    expect(await exited).toBe(0);
  }, 90_000);
});
