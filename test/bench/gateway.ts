/**
 * Gateway benchmark, loopback only, bounded in time and count:
 * 1. forwarding-mode tunnel throughput (TLS download through CONNECT) against a plain Node TCP
 *    CONNECT tunnel;
 * 2. proxy-mode requests per second (TLS in, TLS out, inspection off) against a minimal undici
 *    reverse proxy;
 * 3. the p99 the gateway adds at half the reference's saturation rate.
 * Each proxy runs in a child pinned to CPU 1; this process (clients and upstreams) is pinned to
 * CPU 0. Contenders run in interleaved rounds (lib/rounds.ts): each ratio is taken against the
 * reference in the same round, and the reference against itself gives the A/A noise floor.
 * Writes bench-results/gateway.json.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import https from "node:https";
import net from "node:net";
import { join } from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import { Pool } from "undici";
import {
  compilePolicy,
  createCa,
  issueLeaf,
  loadCa,
  type PemPair,
  PolicyHolder,
  startGateway,
} from "../../edge/gateway/src/index.ts";
import { processCpuMs } from "./lib/pin.ts";
import { interleave, type RoundContext } from "./lib/rounds.ts";

const PHASE_MS = Number(process.env.BENCH_PHASE_MS ?? 4_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DOWNLOAD_BYTES = 64 * 1024 * 1024;
const HOST = "bench.test";

type Role = "gateway-forwarding" | "gateway-proxy" | "tcp-tunnel" | "undici-reverse";
type ChildInput = {
  role: Role;
  upstreamPort: number;
  ca: PemPair;
  upstreamCa: string;
  leaf: PemPair;
};

function policy(mode: "forwarding" | "proxy") {
  return {
    schemaVersion: 1,
    objects: [
      { id: "clients", kind: "static", prefixes: ["127.0.0.0/8"], hosts: [] },
      { id: "bench", kind: "fqdn", prefixes: [], hosts: [{ include: [HOST], exclude: [] }] },
    ],
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: [
          {
            id: "r",
            name: null,
            sources: ["clients"],
            destinations: [{ type: "object", id: "bench" }],
            ports: null,
            action: "allow",
            mode,
            profiles: [],
            monitor: false,
          },
        ],
      },
    ],
    profiles: [],
  };
}

/** Child side: starts one proxy and prints its port. */
async function runChild(input: ChildInput): Promise<void> {
  const port = await startProxy(input);
  process.stdout.write(`${JSON.stringify({ port })}\n`);
}

async function startProxy(input: ChildInput): Promise<number> {
  if (input.role === "tcp-tunnel") return tcpTunnel(input.upstreamPort);
  if (input.role === "undici-reverse") return undiciReverse(input);
  const mode = input.role === "gateway-proxy" ? "proxy" : "forwarding";
  const gateway = await startGateway({
    enforcerId: "bench",
    proxy: { host: "127.0.0.1", port: 0 },
    policy: new PolicyHolder(compilePolicy(policy(mode), 1)),
    resolver: async () => ["127.0.0.1"],
    egressAllow: ["127.0.0.1/32"],
    upstreamCa: [input.upstreamCa],
    orgCa: input.ca,
    emit: () => undefined,
  });
  return gateway.proxyPort;
}

/** The reference tunnel: reads the CONNECT line, dials, splices; no checks at all. */
function tcpTunnel(upstreamPort: number): Promise<number> {
  const server = net.createServer((client) => {
    client.once("data", (head: Buffer) => {
      const end = head.indexOf("\r\n\r\n");
      const upstream = net.connect(upstreamPort, "127.0.0.1", () => {
        client.write("HTTP/1.1 200 Connection Established\r\n\r\n");
        if (end + 4 < head.length) upstream.write(head.subarray(end + 4));
        client.pipe(upstream).pipe(client);
      });
      upstream.on("error", () => client.destroy());
      client.on("error", () => upstream.destroy());
    });
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** The reference reverse proxy: TLS in with the same leaf, undici Pool out with TLS verified. */
function undiciReverse(input: ChildInput): Promise<number> {
  // The origin is the literal address so nothing is ever looked up; TLS still verifies HOST.
  const pool = new Pool(`https://127.0.0.1:${input.upstreamPort}`, {
    connect: { servername: HOST, ca: input.upstreamCa },
    connections: 64,
  });
  const server = https.createServer(
    { cert: input.leaf.certPem, key: input.leaf.keyPem },
    async (req, res) => {
      const upstream = await pool.request({
        method: "GET",
        path: req.url ?? "/",
        headers: { host: HOST },
      });
      res.writeHead(upstream.statusCode, {
        "content-length": String(upstream.headers["content-length"] ?? 0),
      });
      for await (const chunk of upstream.body) res.write(chunk);
      res.end();
    },
  );
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
}

/** Parent side: spawns one proxy pinned to CPU 1 and waits for its port. */
async function spawnProxy(input: ChildInput): Promise<Proxy> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    "taskset",
    ["-c", "1", process.execPath, ...process.execArgv, self, "--child"],
    {
      stdio: ["pipe", "pipe", "inherit"],
    },
  );
  child.stdin.end(JSON.stringify(input));
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (line: Buffer) => resolve(JSON.parse(line.toString()).port));
    child.once("exit", (code) => reject(new Error(`proxy child exited with ${code}`)));
  });
  return { port, pid: child.pid ?? 0, stop: () => child.kill("SIGKILL") };
}

/** Opens CONNECT + TLS through `proxyPort` (or straight TLS when `direct`). */
function openTls(
  proxyPort: number,
  ca: string,
  upstreamPort: number,
  direct = false,
): Promise<tls.TLSSocket> {
  return new Promise((resolve, reject) => {
    const raw = net.connect(proxyPort, "127.0.0.1");
    const secure = () => {
      const socket = tls.connect({
        socket: raw,
        servername: HOST,
        ca,
        ALPNProtocols: ["http/1.1"],
      });
      socket.once("secureConnect", () => resolve(socket));
      socket.once("error", reject);
    };
    if (direct) return secure();
    raw.once("connect", () =>
      raw.write(
        `CONNECT ${HOST}:${upstreamPort} HTTP/1.1\r\nHost: ${HOST}:${upstreamPort}\r\n\r\n`,
      ),
    );
    raw.once("data", (answer: Buffer) => {
      if (!answer.toString().startsWith("HTTP/1.1 200"))
        return reject(new Error(answer.toString()));
      secure();
    });
    raw.once("error", reject);
  });
}

/** One keep-alive GET on an open socket; resolves with its latency in ms. */
function get(socket: tls.TLSSocket): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      const end = buf.indexOf("\r\n\r\n");
      if (end === -1) return;
      const length = Number(
        /content-length: (\d+)/i.exec(buf.subarray(0, end).toString())?.[1] ?? 0,
      );
      if (buf.length < end + 4 + length) return;
      socket.off("data", onData);
      socket.off("error", reject);
      resolve(performance.now() - started);
    };
    socket.on("data", onData);
    // Removed again on success: a listener left per request would pile up on a kept-alive socket.
    socket.once("error", reject);
    socket.write(`GET /item HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`);
  });
}

type LoadResult = { requests: number; rps: number; p50: number; p99: number };

/** Closed loop (rate 0) or paced load over `CONCURRENCY` keep-alive connections. */
async function load(open: () => Promise<tls.TLSSocket>, ratePerSec = 0): Promise<LoadResult> {
  const sockets = await Promise.all(Array.from({ length: CONCURRENCY }, open));
  const latencies: number[] = [];
  const started = performance.now();
  const deadline = started + PHASE_MS;
  const interval = ratePerSec > 0 ? (1000 * CONCURRENCY) / ratePerSec : 0;
  await Promise.all(
    sockets.map(async (socket, i) => {
      let next = performance.now() + (interval * i) / CONCURRENCY;
      while (performance.now() < deadline) {
        if (interval > 0) {
          const wait = next - performance.now();
          if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
          next += interval;
        }
        latencies.push(await get(socket));
      }
    }),
  );
  const elapsedSec = (performance.now() - started) / 1000;
  for (const socket of sockets) socket.destroy();
  latencies.sort((a, b) => a - b);
  const at = (q: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? 0;
  return {
    requests: latencies.length,
    rps: latencies.length / elapsedSec,
    p50: at(0.5),
    p99: at(0.99),
  };
}

/** Downloads DOWNLOAD_BYTES through a tunnel; MB/s. */
async function throughput(proxyPort: number, ca: string, upstreamPort: number): Promise<number> {
  const socket = await openTls(proxyPort, ca, upstreamPort);
  const started = performance.now();
  let received = 0;
  await new Promise<void>((resolve) => {
    socket.on("data", (chunk: Buffer) => {
      received += chunk.length;
    });
    socket.on("close", () => resolve());
    socket.write("DOWNLOAD\n");
  });
  return received / (1024 * 1024) / ((performance.now() - started) / 1000);
}

function startUpstreams(leaf: PemPair): Promise<{ http: number; bulk: number }> {
  const payload = Buffer.alloc(1024 * 1024, 0x61);
  const bulk = tls.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (socket) => {
    socket.once("data", async () => {
      for (let sent = 0; sent < DOWNLOAD_BYTES; sent += payload.length) {
        if (!socket.write(payload)) await new Promise((resolve) => socket.once("drain", resolve));
      }
      socket.end();
    });
  });
  const body = Buffer.from(JSON.stringify({ id: 1, name: "item", tags: ["a", "b"] }));
  const api = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (_req, res) => {
    res.writeHead(200, {
      "content-type": "application/json",
      "content-length": String(body.length),
    });
    res.end(body);
  });
  api.keepAliveTimeout = 60_000;
  const listen = (server: net.Server) =>
    new Promise<number>((resolve) =>
      server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
    );
  return Promise.all([listen(api), listen(bulk)]).then(([http, bulkPort]) => ({
    http,
    bulk: bulkPort,
  }));
}

type Proxy = { port: number; pid: number; stop: () => void };

async function main(): Promise<void> {
  spawn("taskset", ["-cp", "0", String(process.pid)], { stdio: "ignore" });
  const upstreamCa = await createCa("Bench Upstream CA");
  const leaf = await issueLeaf(await loadCa(upstreamCa), { hosts: [HOST] });
  const orgCa = await createCa("Bench Org CA");
  const orgLeaf = await issueLeaf(await loadCa(orgCa), { hosts: [HOST] });
  const ports = await startUpstreams(leaf);
  const base = { ca: orgCa, upstreamCa: upstreamCa.certPem, leaf: orgLeaf };

  // Every proxy is started once and stays up; the rounds interleave them, so a neighbour's load
  // on this shared machine falls on both sides of a ratio instead of on whichever ran last.
  const proxies: Proxy[] = [];
  const start = async (role: Role, upstreamPort: number) => {
    const proxy = await spawnProxy({ ...base, role, upstreamPort });
    proxies.push(proxy);
    return proxy;
  };
  try {
    const results = await measureAll({
      tcpTunnel: await start("tcp-tunnel", ports.bulk),
      gatewayForwarding: await start("gateway-forwarding", ports.bulk),
      undiciReverse: await start("undici-reverse", ports.http),
      gatewayProxy: await start("gateway-proxy", ports.http),
      ports,
      orgCa: orgCa.certPem,
      upstreamCa: upstreamCa.certPem,
    });
    const dir = join(fileURLToPath(new URL("../../", import.meta.url)), "bench-results");
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "gateway.json"), `${JSON.stringify(results, null, 2)}\n`);
    console.log(JSON.stringify(results, null, 2));
  } finally {
    for (const proxy of proxies) proxy.stop();
  }
  process.exit(0);
}

type Ports = {
  tcpTunnel: Proxy;
  gatewayForwarding: Proxy;
  undiciReverse: Proxy;
  gatewayProxy: Proxy;
  ports: { http: number; bulk: number };
  orgCa: string;
  upstreamCa: string;
};

async function measureAll(p: Ports) {
  const rounds = { rounds: ROUNDS, warmupRounds: 1 };
  const download = (proxy: Proxy) => () => throughput(proxy.port, p.upstreamCa, p.ports.bulk);
  const tunnel = await interleave({
    ...rounds,
    reference: { name: "tcp-tunnel", measure: download(p.tcpTunnel) },
    others: [{ name: "gateway", measure: download(p.gatewayForwarding) }],
    higherIsBetter: true,
  });

  const refOpen = () => openTls(p.undiciReverse.port, p.orgCa, p.ports.http, true);
  const gwOpen = () => openTls(p.gatewayProxy.port, p.orgCa, p.ports.http);
  const last: Record<string, LoadResult> = {};
  // CPU the proxy process spent per request at saturation: unlike req/s, it does not depend on
  // how much of the shared machine the load generator got, so it stays readable under noise.
  const cpu = new Map<number, { ms: number; requests: number }>();
  const loaded =
    (name: string, proxy: Proxy, open: () => Promise<tls.TLSSocket>, rate: number) =>
    async ({ warmup }: RoundContext) => {
      const before = processCpuMs(proxy.pid);
      const result = await load(open, rate);
      if (result.requests === 0) throw new Error(`${name} answered no request`);
      // Warm-up rounds are left out: they hold each process's JIT warm-up, and the reference
      // runs twice per round (A/A), so counting them would charge the gateway a larger share.
      if (rate === 0 && !warmup) {
        const total = cpu.get(proxy.pid) ?? { ms: 0, requests: 0 };
        total.ms += processCpuMs(proxy.pid) - before;
        total.requests += result.requests;
        cpu.set(proxy.pid, total);
      }
      last[name] = result;
      return rate > 0 ? result.p99 : result.rps;
    };
  const saturation = await interleave({
    ...rounds,
    reference: {
      name: "undici-reverse-proxy",
      measure: loaded("ref", p.undiciReverse, refOpen, 0),
    },
    others: [{ name: "gateway", measure: loaded("gw", p.gatewayProxy, gwOpen, 0) }],
    higherIsBetter: true,
  });
  const perRequest = (proxy: Proxy) => {
    const total = cpu.get(proxy.pid);
    return total && total.requests > 0 ? (1000 * total.ms) / total.requests : Number.NaN;
  };
  const cpuUs = { gateway: perRequest(p.gatewayProxy), reference: perRequest(p.undiciReverse) };

  const half = (saturation.figures["undici-reverse-proxy"]?.median ?? 0) / 2;
  const latency = await interleave({
    ...rounds,
    reference: {
      name: "undici-reverse-proxy",
      measure: loaded("refHalf", p.undiciReverse, refOpen, half),
    },
    others: [{ name: "gateway", measure: loaded("gwHalf", p.gatewayProxy, gwOpen, half) }],
    higherIsBetter: false,
  });
  const p99 = (name: string) => latency.figures[name]?.median ?? Number.NaN;
  return {
    config: {
      phaseMs: PHASE_MS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      downloadBytes: DOWNLOAD_BYTES,
      cpus: "proxies on CPU 1, load and upstreams on CPU 0",
    },
    forwarding: { ratio: tunnel.ratios.gateway, aa: tunnel.aa, mbps: tunnel.figures },
    proxyMode: {
      ratio: saturation.ratios.gateway,
      aa: saturation.aa,
      rps: saturation.figures,
      cpuMicrosecondsPerRequest: cpuUs,
      /** Reference CPU per request over the gateway's: above 1 the gateway is the cheaper. */
      cpuEfficiencyRatio: cpuUs.reference / cpuUs.gateway,
    },
    halfSaturation: {
      rate: half,
      p99Ms: latency.figures,
      addedP99Ms: p99("gateway") - p99("undici-reverse-proxy"),
      lastRound: { gateway: last.gwHalf, reference: last.refHalf },
    },
  };
}

if (process.argv.includes("--child")) {
  const chunks: Buffer[] = [];
  process.stdin.on("data", (chunk: Buffer) => chunks.push(chunk));
  process.stdin.on(
    "end",
    () => void runChild(JSON.parse(Buffer.concat(chunks).toString()) as ChildInput),
  );
} else {
  await main();
}
