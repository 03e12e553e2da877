/**
 * WAF-inspected requests per second: the gateway's reverse proxy with the default WAF profile
 * against nginx + ModSecurity v3 + OWASP CRS 3.3 at paranoia 1, both in front of the same nginx
 * upstream, both pinned to CPU 1, driven by the same autocannon client on CPU 0 with the same
 * request mix, in interleaved rounds. Everything listens on 127.0.0.1 and is stopped at the end.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { compilePolicy, PolicyHolder, startGateway } from "../../edge/gateway/src/index.ts";
import { runLoad } from "./lib/load.ts";
import { backendUpstream, directServer, startNginx } from "./lib/nginx.ts";
import { freePort, LOAD_CPU, pinSelf, SUT_CPU } from "./lib/pin.ts";
import { interleave, type RoundsResult } from "./lib/rounds.ts";
import { sendRaw, startModSecurity } from "./waf-modsec.ts";

const HOST = "app.test";
const PHASE_SECONDS = Number(process.env.BENCH_WAF_PHASE_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_WAF_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_WAF_CONNECTIONS ?? 16);

type MixRequest = {
  name: string;
  attack: boolean;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
};

/** Filler text made of words, so neither WAF has a reason to object to its bytes. */
function words(size: number, seed: string): string {
  const pool = ["alpha", "river", "stone", "cloud", "orange", "window", "garden", seed];
  let out = "";
  for (let i = 0; out.length < size; i++) out += `${pool[(i * 7 + 3) % pool.length]} `;
  return out.slice(0, size);
}

/** A JSON document of about `size` bytes with few fields, under both WAFs' argument limits. */
function jsonBody(size: number): string {
  const items: unknown[] = [];
  for (let i = 0; JSON.stringify(items).length < size; i++)
    items.push({ sku: `SKU-${1000 + i}`, note: words(Math.min(1000, size / 4), "lamp") });
  return JSON.stringify({ customer: "c-42", items });
}

/** The shapes issue #14 names: arguments, JSON 1 KB and 100 KB, a form, an upload, attacks. */
export function requestMix(): MixRequest[] {
  const json = { "content-type": "application/json" };
  const form = { "content-type": "application/x-www-form-urlencoded" };
  const boundary = "----ringfencebench";
  const upload = [
    `--${boundary}`,
    'Content-Disposition: form-data; name="file"; filename="notes.txt"',
    "Content-Type: text/plain",
    "",
    words(100 * 1024, "notes"),
    `--${boundary}--`,
    "",
  ].join("\r\n");
  return [
    {
      name: "get-args",
      attack: false,
      method: "GET",
      path: "/search?q=red+shoes&page=2&sort=price",
      headers: {},
    },
    {
      name: "json-1k",
      attack: false,
      method: "POST",
      path: "/api/orders",
      headers: json,
      body: jsonBody(1024),
    },
    {
      name: "json-100k",
      attack: false,
      method: "POST",
      path: "/api/bulk",
      headers: json,
      body: jsonBody(100 * 1024),
    },
    {
      name: "form-1k",
      attack: false,
      method: "POST",
      path: "/profile",
      headers: form,
      body: `name=Jane+Doe&bio=${encodeURIComponent(words(980, "poetry"))}`,
    },
    {
      name: "multipart-100k",
      attack: false,
      method: "POST",
      path: "/upload",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}` },
      body: upload,
    },
    {
      name: "attack-sqli",
      attack: true,
      method: "GET",
      path: "/search?q=1%27%20union%20select%20password%20from%20users--",
      headers: {},
    },
    {
      name: "attack-xss",
      attack: true,
      method: "POST",
      path: "/comment",
      headers: form,
      body: "comment=%3Cscript%3Ealert(document.cookie)%3C%2Fscript%3E",
    },
  ];
}

function rawBytes(r: MixRequest): Uint8Array {
  const body = r.body ?? "";
  const headers = { host: HOST, "user-agent": "ringfence-bench", ...r.headers };
  const lines = [
    `${r.method} ${r.path} HTTP/1.1`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (body !== "") lines.push(`content-length: ${Buffer.byteLength(body)}`);
  lines.push("connection: close");
  return new Uint8Array(Buffer.from(`${lines.join("\r\n")}\r\n\r\n${body}`));
}

/** Child side: the gateway with a reverse route to the upstream and the default WAF profile. */
async function runChild(upstreamPort: number): Promise<void> {
  const policy = {
    schemaVersion: 1,
    objects: [
      { id: "clients", kind: "static", prefixes: ["127.0.0.0/8"], hosts: [] },
      { id: "app", kind: "fqdn", prefixes: [], hosts: [{ include: [HOST], exclude: [] }] },
    ],
    services: [],
    ruleSets: [
      {
        id: "main",
        defaultAction: "deny",
        rules: [
          {
            id: "inbound",
            name: null,
            sources: ["clients"],
            destinations: [{ type: "object", id: "app" }],
            ports: null,
            action: "allow",
            mode: "forwarding",
            profiles: [],
            monitor: false,
          },
        ],
      },
    ],
    profiles: [{ kind: "waf", id: "waf", paranoia: 1, mode: "block" }],
  };
  const gateway = await startGateway({
    enforcerId: "bench-waf",
    proxy: { host: "127.0.0.1", port: 0 },
    policy: new PolicyHolder(compilePolicy(policy, 1)),
    resolver: async () => ["127.0.0.1"],
    egressAllow: ["127.0.0.1/32"],
    emit: () => undefined,
    reverse: {
      listen: { host: "127.0.0.1", port: 0 },
      routes: [
        {
          host: HOST,
          pathPrefix: "/",
          upstream: `http://127.0.0.1:${upstreamPort}`,
          profiles: ["waf"],
        },
      ],
    },
  });
  process.stdout.write(`${JSON.stringify({ port: gateway.reversePort })}\n`);
}

async function spawnGateway(upstreamPort: number): Promise<{ port: number; stop: () => void }> {
  const self = fileURLToPath(import.meta.url);
  const child = spawn(
    "taskset",
    ["-c", SUT_CPU, process.execPath, ...process.execArgv, self, "--child", String(upstreamPort)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once("data", (line: Buffer) => resolve(JSON.parse(line.toString()).port));
    child.once("exit", (code) => reject(new Error(`gateway child exited with ${code}`)));
  });
  return { port, stop: () => child.kill("SIGTERM") };
}

/** What each WAF answered to each request of the mix, sent once with the exact same bytes. */
export interface MixVerdict {
  name: string;
  attack: boolean;
  ringfence: number;
  modsecurity: number;
}

export interface WafRpsResult {
  connections: number;
  phaseSeconds: number;
  verdicts: MixVerdict[];
  rounds: RoundsResult;
  /** Median requests/s of ours over theirs, per round. */
  ratio: number;
}

/** Runs the comparison; the caller decides whether ModSecurity is installed. */
export async function wafRequestsPerSecond(): Promise<WafRpsResult> {
  pinSelf(LOAD_CPU);
  const dir = mkdtempSync(join(tmpdir(), "ringfence-waf-rps-"));
  const upstreamPort = await freePort();
  const upstream = startNginx(
    join(dir, "upstream"),
    Number(LOAD_CPU),
    [directServer(upstreamPort)],
    [backendUpstream(upstreamPort)],
  );
  const gateway = await spawnGateway(upstreamPort).catch((error: unknown) => {
    upstream.stop();
    throw error;
  });
  const modsec = await startModSecurity({ paranoia: 1, upstreamPort, cpu: SUT_CPU });
  try {
    const mix = requestMix();
    // One pass to warm both up (a cold gateway compiles its rules on first use), then verdicts.
    for (const r of mix)
      await Promise.all([sendRaw(gateway.port, rawBytes(r)), sendRaw(modsec.port, rawBytes(r))]);
    const verdicts: MixVerdict[] = [];
    for (const r of mix) {
      const bytes = rawBytes(r);
      verdicts.push({
        name: r.name,
        attack: r.attack,
        ringfence: await sendRaw(gateway.port, bytes),
        modsecurity: await sendRaw(modsec.port, bytes),
      });
    }
    const requests = mix.map(({ method, path, headers, body }) => ({
      method,
      path,
      headers: { host: HOST, "user-agent": "ringfence-bench", ...headers },
      ...(body === undefined ? {} : { body }),
    }));
    const load = (port: number) => async () =>
      (
        await runLoad({
          url: `http://127.0.0.1:${port}`,
          requests,
          connections: CONNECTIONS,
          durationSeconds: PHASE_SECONDS,
        })
      ).rps;
    const rounds = await interleave({
      reference: { name: "modsecurity-crs", measure: load(modsec.port) },
      others: [{ name: "ringfence", measure: load(gateway.port) }],
      rounds: ROUNDS,
      warmupRounds: 1,
      higherIsBetter: true,
    });
    const ratio = rounds.ratios.ringfence?.median ?? Number.NaN;
    return { connections: CONNECTIONS, phaseSeconds: PHASE_SECONDS, verdicts, rounds, ratio };
  } finally {
    gateway.stop();
    await modsec.stop();
    upstream.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv.includes("--child")) await runChild(Number(process.argv.at(-1)));
