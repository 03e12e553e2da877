/**
 * Pass-through benchmark, loopback only, bounded in time: plain HTTP requests relayed to the
 * same nginx backend by
 * - the gateway (absolute-form requests, policy loaded, forwarding rule, no inspection),
 * - nginx `proxy_pass` with keep-alive upstreams,
 * - a minimal undici reverse proxy (the reference every ratio divides by),
 * - and nginx answering directly (the loopback ceiling).
 * Proxies run pinned to CPU 1; autocannon (no pipelining) and the backend run on CPU 0.
 * Rounds are interleaved after a warm-up, and the reference is measured twice per round (A/A).
 * Writes bench-results/passthrough.json.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import { compilePolicy, PolicyHolder, startGateway } from "../../edge/gateway/src/index.ts";
import { runLoad } from "./lib/load.ts";
import { backendUpstream, directServer, type Nginx, proxyServer, startNginx } from "./lib/nginx.ts";
import {
  freePort,
  LOAD_CPU,
  pinSelf,
  processCpuMs,
  SUT_CPU,
  spawnPinned,
  stopChild,
} from "./lib/pin.ts";
import { writeResult } from "./lib/results.ts";
import { interleave, type RoundContext } from "./lib/rounds.ts";
import { round } from "./lib/stats.ts";

const PHASE_SECONDS = Number(process.env.BENCH_PHASE_SECONDS ?? 4);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 32);
const HOST = "backend.bench.test";

type ChildRole = { role: "gateway" | "undici"; backendPort: number };

function policy() {
  return {
    schemaVersion: 1,
    objects: [
      { id: "clients", kind: "static", prefixes: ["127.0.0.0/8"], hosts: [] },
      { id: "backend", kind: "fqdn", prefixes: [], hosts: [{ include: [HOST], exclude: [] }] },
    ],
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: [
          {
            id: "pass",
            name: null,
            sources: ["clients"],
            destinations: [{ type: "object", id: "backend" }],
            ports: null,
            action: "allow",
            mode: "forwarding",
            profiles: [],
            monitor: false,
          },
        ],
      },
    ],
    profiles: [],
  };
}

/** Child side: the gateway with one worker, resolving the backend name statically. */
async function childGateway(): Promise<number> {
  const gateway = await startGateway({
    enforcerId: "bench-passthrough",
    proxy: { host: "127.0.0.1", port: 0 },
    policy: new PolicyHolder(compilePolicy(policy(), 1)),
    resolver: async () => ["127.0.0.1"],
    egressAllow: ["127.0.0.1/32"],
    emit: () => undefined,
  });
  return gateway.proxyPort;
}

/** Child side: the smallest useful reverse proxy, node:http in and an undici Pool out. */
function childUndici(backendPort: number): Promise<number> {
  const pool = new Pool(`http://127.0.0.1:${backendPort}`, { connections: 64 });
  const server = http.createServer(async (req, res) => {
    try {
      const upstream = await pool.request({ method: "GET", path: req.url ?? "/" });
      const body = Buffer.from(await upstream.body.arrayBuffer());
      res.writeHead(upstream.statusCode, {
        "content-type": String(upstream.headers["content-type"] ?? "application/octet-stream"),
        "content-length": String(body.length),
      });
      res.end(body);
    } catch {
      res.writeHead(502).end();
    }
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)),
  );
}

async function runChild(input: ChildRole): Promise<void> {
  const port =
    input.role === "gateway" ? await childGateway() : await childUndici(input.backendPort);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

async function spawnProxy(input: ChildRole) {
  const self = fileURLToPath(import.meta.url);
  const started = await spawnPinned(
    SUT_CPU,
    process.execPath,
    [...process.execArgv, self, "--child"],
    JSON.stringify(input),
  );
  return { child: started.child, port: Number(started.ready.port) };
}

async function main(): Promise<void> {
  pinSelf(LOAD_CPU);
  const dir = mkdtempSync(join(tmpdir(), "ringfence-bench-passthrough-"));
  const nginxes: Nginx[] = [];
  const children: Awaited<ReturnType<typeof spawnProxy>>[] = [];
  try {
    const [backendPort, nginxProxyPort, ceilingPort] = [
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    nginxes.push(startNginx(join(dir, "backend"), Number(LOAD_CPU), [directServer(backendPort)]));
    nginxes.push(
      startNginx(
        join(dir, "front"),
        Number(SUT_CPU),
        [proxyServer(nginxProxyPort, backendPort), directServer(ceilingPort)],
        [backendUpstream(backendPort)],
      ),
    );
    const gateway = await spawnProxy({ role: "gateway", backendPort });
    const undici = await spawnProxy({ role: "undici", backendPort });
    children.push(gateway, undici);

    // CPU the Node proxies spend per request: unlike req/s it does not depend on how much of
    // the shared machine autocannon got, so it stays readable when the A/A floor is wide.
    const cpu = new Map<number, { ms: number; requests: number }>();
    const load = (port: number, path?: string, pid?: number) => async (round: RoundContext) => {
      const before = pid ? processCpuMs(pid) : 0;
      const figures = await runLoad({
        url: `http://127.0.0.1:${port}`,
        ...(path ? { path, headers: { host: new URL(path).host } } : {}),
        connections: CONNECTIONS,
        durationSeconds: PHASE_SECONDS,
      });
      if (pid && !round.warmup) {
        const total = cpu.get(pid) ?? { ms: 0, requests: 0 };
        total.ms += processCpuMs(pid) - before;
        total.requests += figures.requests;
        cpu.set(pid, total);
      }
      return figures.rps;
    };
    const perRequest = (pid: number | undefined) => {
      const total = cpu.get(pid ?? 0);
      return total && total.requests > 0 ? round((1000 * total.ms) / total.requests) : Number.NaN;
    };
    const gatewayTarget = `http://${HOST}:${backendPort}/`;
    const result = await interleave({
      reference: {
        name: "undici-reverse-proxy",
        measure: load(undici.port, undefined, undici.child.pid),
      },
      others: [
        { name: "gateway", measure: load(gateway.port, gatewayTarget, gateway.child.pid) },
        { name: "nginx-proxy-pass", measure: load(nginxProxyPort) },
        { name: "nginx-direct-ceiling", measure: load(ceilingPort) },
      ],
      rounds: ROUNDS,
      warmupRounds: 1,
      higherIsBetter: true,
    });
    await checkErrors(gateway.port, backendPort);

    const output = {
      config: {
        phaseSeconds: PHASE_SECONDS,
        rounds: ROUNDS,
        warmupRounds: 1,
        connections: CONNECTIONS,
        pipelining: 1,
        cpus: "proxies and front nginx on CPU 1; autocannon and backend nginx on CPU 0",
      },
      reference: "undici-reverse-proxy",
      rps: result.figures,
      ratios: result.ratios,
      aa: result.aa,
      gatewayRatio: round(result.ratios.gateway?.median ?? 0),
      // Measured rounds only; the A/A twin of the reference is counted with the reference.
      cpuMicrosecondsPerRequest: {
        gateway: perRequest(gateway.child.pid),
        reference: perRequest(undici.child.pid),
      },
      goal: { gatewayRatioAtLeast: 0.8 },
    };
    writeResult("passthrough.json", output);
    console.log(
      JSON.stringify(
        { ratios: output.ratios, aa: output.aa, cpu: output.cpuMicrosecondsPerRequest },
        null,
        2,
      ),
    );
  } finally {
    for (const child of children) await stopChild(child.child);
    for (const nginx of nginxes) nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A short run that must answer 2xx through the gateway, so a throughput of refusals is caught. */
async function checkErrors(gatewayPort: number, backendPort: number): Promise<void> {
  const figures = await runLoad({
    url: `http://127.0.0.1:${gatewayPort}`,
    path: `http://${HOST}:${backendPort}/`,
    headers: { host: `${HOST}:${backendPort}` },
    connections: 2,
    durationSeconds: 1,
  });
  if (figures.non2xx > 0 || figures.errors > 0 || figures.requests === 0) {
    throw new Error(`the gateway did not relay cleanly: ${JSON.stringify(figures)}`);
  }
}

if (process.argv.includes("--child")) {
  const chunks: Buffer[] = [];
  process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on(
    "end",
    () => void runChild(JSON.parse(Buffer.concat(chunks).toString()) as ChildRole),
  );
} else {
  await main();
}
