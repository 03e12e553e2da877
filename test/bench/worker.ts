/**
 * Edge worker benchmark (`pnpm bench:worker`): CPU per request of the worker under
 * `wrangler dev` for GET, JSON 1 KB, JSON 100 KB and attack requests, measured from the workerd
 * processes' CPU time over many requests minus the CPU of a pass-through reference worker in the
 * same run; and the memory a 100k-asset bundle costs the worker. Everything listens on
 * 127.0.0.1; every phase has a fixed request count and a deadline. Writes
 * bench-results/worker.json.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Agent, createServer, request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { resolvePolicy } from "@ringfence/engine/policy";
import { main as writeDevVars } from "../../edge/worker/scripts/dev-vars.ts";
import { startControlPlane } from "../../edge/worker/test/node/servers.ts";
import { json, largePolicy, storefrontPolicy, UNINSPECTED_HOST } from "./worker-fixtures.ts";
import {
  cpuMs,
  type DevServer,
  isolateHeap,
  rssMiB,
  startWranglerDev,
  workerdPids,
} from "./worker-harness.ts";

const ROUNDS = 7;
// /proc counts CPU in 10 ms ticks: 400 requests a round make a tick 0.025 ms per request.
const REQUESTS_PER_ROUND = 400;
const GOAL_MEDIAN_MS = 2;
const CREDENTIAL = "rfe_bench_0123456789abcdef0123";

interface Shape {
  name: string;
  method: string;
  path: string;
  body?: string;
  /** The Host sent; app.example.test (inspected) when absent. */
  host?: string;
  /** What the edge worker must answer; a different status means the run measured the wrong path. */
  expect: number;
}

const SHAPES: Shape[] = [
  { name: "GET", method: "GET", path: "/orders?id=7", expect: 200 },
  {
    name: "GET uninspected",
    method: "GET",
    path: "/orders?id=7",
    host: UNINSPECTED_HOST,
    expect: 200,
  },
  { name: "JSON 1 KB", method: "POST", path: "/orders", body: json(1024), expect: 200 },
  { name: "JSON 100 KB", method: "POST", path: "/orders", body: json(100 * 1024), expect: 200 },
  {
    name: "attack (SSRF)",
    method: "GET",
    path: "/fetch?url=http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    expect: 403,
  },
];

/** A fixed 1 KB JSON answer for every request, so both workers handle identical responses. */
async function startOrigin() {
  const answer = json(1024);
  const server = createServer((request, response) => {
    request.resume();
    request.on("end", () => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

// Requests go through node:http so the Host header is the public name the policy and the WAF
// expect (fetch would send the loopback address as Host, which the WAF rightly flags).
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function once(base: string, shape: Shape): Promise<{ status: number; body: string }> {
  const url = new URL(shape.path, base);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: shape.method,
        agent,
        timeout: 10_000,
        headers: { host: shape.host ?? "app.example.test", "content-type": "application/json" },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const body = Buffer.concat(chunks).toString("utf8");
          resolve({ status: response.statusCode ?? 0, body });
        });
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`${shape.name}: no answer in 10 s`)));
    request.on("error", reject);
    request.end(shape.body);
  });
}

async function send(base: string, shape: Shape, count: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let n = 0; n < count; n++) statuses.push((await once(base, shape)).status);
  return statuses;
}

/** CPU milliseconds one server's workerd processes spend on `count` requests. */
async function measure(server: DevServer, shape: Shape, count: number): Promise<number> {
  const pids = workerdPids(server.process.pid ?? -1);
  const before = cpuMs(pids);
  await send(server.url, shape, count);
  return cpuMs(pids) - before;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function checkAnswer(edge: DevServer, shape: Shape): Promise<void> {
  const { status, body } = await once(edge.url, shape);
  if (status !== shape.expect) {
    throw new Error(`${shape.name}: expected ${shape.expect}, got ${status}: ${body}`);
  }
}

async function cpuPerRequest(edge: DevServer, reference: DevServer, shape: Shape) {
  await checkAnswer(edge, shape);
  await send(edge.url, shape, 20);
  await send(reference.url, shape, 20);
  const perRound: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const edgeMs = await measure(edge, shape, REQUESTS_PER_ROUND);
    const referenceMs = await measure(reference, shape, REQUESTS_PER_ROUND);
    perRound.push((edgeMs - referenceMs) / REQUESTS_PER_ROUND);
  }
  const statuses = await send(edge.url, shape, 1);
  return { shape: shape.name, status: statuses[0], medianMs: median(perRound), perRound };
}

const here = fileURLToPath(new URL(".", import.meta.url));
const results = join(here, "../../bench-results");
const scratch = mkdtempSync(join(tmpdir(), "ringfence-bench-worker-"));
const origin = await startOrigin();
const control = await startControlPlane("org-bench");
const servers: DevServer[] = [];

try {
  const admin = `${control.url}/__test/${CREDENTIAL}`;
  await fetch(`${admin}/publish`, { method: "POST", body: JSON.stringify(storefrontPolicy()) });
  const vars = join(scratch, "dev.vars");
  writeDevVars([
    ...["--control-plane-url", `${control.url}/`, "--credential", CREDENTIAL],
    ...["--organization-id", "org-bench", "--origin-url", origin.url, "--out", vars],
    "--trusted-keys",
    JSON.stringify([{ keyId: control.state.keys.keyId, publicKey: control.state.keys.publicKey }]),
  ]);
  const persist = ["--persist-to", join(scratch, "state"), "--show-interactive-dev-session=false"];
  const edgeArgs = ["--env-file", vars, "--var", "BUNDLE_MAX_STALENESS_SECONDS:1"];
  const edge = await startWranglerDev([...edgeArgs, ...persist]);
  servers.push(edge);
  const reference = await startWranglerDev([
    ...["-c", "bench/wrangler.trivial.jsonc", "--var", `ORIGIN_URL:${origin.url}`, ...persist],
  ]);
  servers.push(reference);

  // `--only "GET,JSON 1 KB"` measures those rows and skips the memory phase (for development).
  const only = process.argv.indexOf("--only");
  const names = only === -1 ? undefined : (process.argv[only + 1] ?? "").split(",");
  const cpu = [];
  for (const shape of SHAPES.filter((s) => names === undefined || names.includes(s.name))) {
    const row = await cpuPerRequest(edge, reference, shape);
    console.log(
      `${row.shape.padEnd(16)} status ${row.status}  median ${row.medianMs.toFixed(3)} ms  rounds ${row.perRound.map((ms) => ms.toFixed(2)).join(" ")}`,
    );
    cpu.push(row);
  }

  if (names === undefined) {
    // The memory phase gets an edge worker of its own: the CPU rows' thousands of requests leave
    // a workerd whose heap snapshot (the only way to collect its isolate fully) outruns minutes.
    const fresh = await startWranglerDev([
      ...edgeArgs,
      ...["--persist-to", join(scratch, "state-memory"), "--show-interactive-dev-session=false"],
    ]);
    servers.push(fresh);
    await send(fresh.url, SHAPES[0] as Shape, 5);
    await bundlePhase(fresh, admin, cpu).catch((e) => {
      console.log(fresh.output.slice(-4000));
      throw e;
    });
  } else console.log("partial run (--only): memory not measured, nothing written");
} finally {
  await Promise.all(servers.map((server) => server.stop()));
  origin.server.close();
  control.server.close();
  rmSync(scratch, { recursive: true, force: true });
}

/** Measures the 100k-asset bundle's memory and writes the report with the CPU rows. */
async function bundlePhase(edge: DevServer, admin: string, cpu: unknown[]): Promise<void> {
  const memory = await bundleMemory(edge, admin);
  console.log(
    `100k-asset bundle: isolate heap ${JSON.stringify(memory.isolateHeapBeforeMiB)} before, ` +
      `${JSON.stringify(memory.isolateHeapAfterMiB)} after (full GC each; ` +
      `+${memory.isolateHeapDeltaMiB} MiB used); ` +
      `RSS +${memory.deltaMiB.toFixed(1)} MiB (peak +${memory.peakDeltaMiB}, ` +
      `5 s later +${memory.settledDeltaMiB}; ${memory.bundleBytes} B)`,
  );
  const report = {
    date: new Date().toISOString(),
    method: "workerd utime+stime over many requests, minus a pass-through worker, same run",
    goalMedianMs: GOAL_MEDIAN_MS,
    rounds: ROUNDS,
    requestsPerRound: REQUESTS_PER_ROUND,
    cpu,
    memory,
  };
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, "worker.json"), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`wrote ${join(results, "worker.json")}`);
}

/** RSS of the edge worker's workerd before and after it enforces a 100k-asset bundle. */
async function bundleMemory(edge: DevServer, admin: string) {
  const pids = workerdPids(edge.process.pid ?? -1);
  // The isolate's own heap before the bundle, fully collected; the session closes before load.
  const heapBefore = await isolateHeap(pids).catch((error: unknown) => String(error));
  const before = rssMiB(pids);
  // RSS sampled while the bundle is fetched, verified and compiled: the peak the isolate hits.
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMiB(pids));
  }, 100);
  const started = performance.now();
  const large = resolvePolicy(...largePolicy(100_000));
  const resolveMs = performance.now() - started;
  const published = await fetch(`${admin}/publish`, {
    method: "POST",
    body: JSON.stringify(large),
  });
  const { version, envelope } = (await published.json()) as { version: number; envelope: unknown };

  const deadline = Date.now() + 60_000;
  let status = 0;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1100));
    // Compiling 100k assets holds the isolate for seconds; a request that times out meanwhile
    // is retried until the deadline.
    status = (await send(edge.url, SHAPES[0] as Shape, 1).catch(() => [0]))[0] ?? 0;
    if (status === 403) break;
  }
  clearInterval(sampler);
  if (status !== 403) throw new Error(`the 100k-asset bundle v${version} was not enforced in 60 s`);
  const after = rssMiB(pids);
  const getCpu = await measure(edge, SHAPES[0] as Shape, REQUESTS_PER_ROUND);
  // Whether the RSS goes down once the isolate has been idle and served requests again.
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const settled = rssMiB(pids);
  // Read last and once: while an inspector session is attached, wrangler's proxy relays every
  // request's network events and logs them, which has exhausted its file descriptors mid-run.
  const heapAfter = await isolateHeap(pids).catch((error: unknown) => String(error));
  return {
    assets: 100_000,
    bundleBytes: JSON.stringify(envelope).length,
    resolveMsInNode: Math.round(resolveMs),
    rssBeforeMiB: Number(before.toFixed(1)),
    rssAfterMiB: Number(after.toFixed(1)),
    deltaMiB: Number((after - before).toFixed(1)),
    isolateHeapBeforeMiB: heapBefore,
    isolateHeapAfterMiB: heapAfter,
    isolateHeapDeltaMiB:
      typeof heapBefore === "string" || typeof heapAfter === "string"
        ? null
        : Number((heapAfter.usedMiB - heapBefore.usedMiB).toFixed(1)),
    peakDeltaMiB: Number((peak - before).toFixed(1)),
    settledDeltaMiB: Number((settled - before).toFixed(1)),
    getCpuMsPerRequestWithoutReference: Number((getCpu / REQUESTS_PER_ROUND).toFixed(3)),
  };
}
