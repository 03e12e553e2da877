/**
 * Policy engine benchmark: decision time of the index against the linear reference at 100k
 * assets, 10k objects and 1k/10k/50k rules; prefix lookup against a Map.get floor; index
 * memory per prefix; compile time. Prints a Markdown table and writes
 * bench-results/engine.json. Inputs are generated from a fixed seed, so runs are comparable.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { Asset, Inventory } from "@ringfence/engine/documents";
import { parseIp } from "@ringfence/engine/net";
import {
  buildIndex,
  decide,
  decideLinear,
  type Flow,
  type ResolvedPolicy,
  resolvePolicy,
} from "@ringfence/engine/policy";

const ASSETS = Number(process.env.BENCH_ASSETS ?? 100_000);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 10_000);
const RULE_COUNTS = (process.env.BENCH_RULES ?? "1000,10000,50000").split(",").map(Number);
const TEAMS = 200;

/** A small deterministic generator (mulberry32) so every run sees the same estate. */
function rng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = rng(20190719);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const int = (n: number) => Math.floor(random() * n);

function v4(n: number): string {
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function inventory(): Inventory {
  const assets: Asset[] = [];
  for (let i = 0; i < ASSETS; i++) {
    const ipv6 =
      i % 10 === 0 ? [`fd00::${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}`] : [];
    assets.push({
      id: `aws:111122223333:us-east-1:instance/i-${i.toString(16).padStart(17, "0")}`,
      provider: "aws",
      kind: "instance",
      account: "111122223333",
      region: "us-east-1",
      addresses: {
        private: [v4(i + 256), ...ipv6],
        public: i % 5 === 0 ? [`198.${18 + (i >>> 16)}.${(i >>> 8) & 255}.${i & 255}`] : [],
      },
      attributes: { vpc: `vpc-${i % 100}`, "os.version": `7.${i % 10}` },
      tags: {
        Team: `team-${i % TEAMS}`,
        Env: pick(["prod", "staging", "dev"]),
        "Cost Center": `${i % 37}`,
      },
    });
  }
  return { schemaVersion: 1, assets };
}

const hostOf = (i: number) => `svc-${i}.corp.example`;

function objects(): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < OBJECTS; i++) {
    const kind = i % 10;
    if (kind < 6)
      out.push({
        id: `o${i}`,
        kind: "dynamic",
        selector: `tag.Team == "team-${int(TEAMS)}" and tag.Env == "${pick(["prod", "staging", "dev"])}"`,
      });
    else if (kind < 8)
      out.push({
        id: `o${i}`,
        kind: "static",
        addresses: [`10.${int(2)}.${int(256)}.0/24`, `172.16.${int(256)}.${int(256)}`],
      });
    else out.push({ id: `o${i}`, kind: "fqdn", fqdns: [hostOf(i), `*.api-${i}.corp.example`] });
  }
  return out;
}

function services(): unknown[] {
  return Array.from({ length: 1000 }, (_, i) =>
    i % 2 === 0
      ? { id: `s${i}`, kind: "s3", bucket: `bucket-${i}`, region: "us-east-1" }
      : { id: `s${i}`, kind: "fqdn", hosts: [`api.partner-${i}.example`], ports: [443] },
  );
}

/** An object that can hold source addresses (the first eight of every ten are not FQDN objects). */
const sourceObject = () => `o${int(OBJECTS / 10) * 10 + int(8)}`;

function rules(count: number): unknown[] {
  return Array.from({ length: count }, (_, i) => {
    const destination = random() < 0.3 ? `s${int(1000)}` : `o${int(OBJECTS)}`;
    return {
      id: `r${i}`,
      sources: [sourceObject(), ...(random() < 0.3 ? [sourceObject()] : [])],
      ...(random() < 0.02 ? {} : { destinations: [destination] }),
      ports: [pick([443, 80, 5432, 8080])],
      action: random() < 0.7 ? "allow" : "deny",
      monitor: random() < 0.02,
    };
  });
}

function flows(count: number): Flow[] {
  return Array.from({ length: count }, () => {
    const srcIp = v4(int(ASSETS) + 256);
    const roll = random();
    if (roll < 0.4) return { srcIp, dstIp: v4(int(ASSETS) + 256), dstPort: pick([443, 5432]) };
    if (roll < 0.7) {
      const host = random() < 0.5 ? hostOf(int(OBJECTS)) : `x.api-${int(OBJECTS)}.corp.example`;
      return { srcIp, sni: host, dstPort: 443 };
    }
    const bucket = `bucket-${2 * int(500)}`;
    return { srcIp, sni: `${bucket}.s3.us-east-1.amazonaws.com`, dstPort: 443 };
  });
}

/** Mean time per call in microseconds over `items`, after one warm-up pass. */
function perCall<T>(items: readonly T[], run: (item: T) => unknown, warm = true): number {
  if (warm) for (const item of items.slice(0, Math.min(200, items.length))) run(item);
  const start = performance.now();
  for (const item of items) run(item);
  return ((performance.now() - start) * 1000) / items.length;
}

function gcNow(): (() => void) | undefined {
  setFlagsFromString("--expose-gc");
  const gc = runInNewContext("gc") as unknown;
  return typeof gc === "function" ? (gc as () => void) : undefined;
}

function withRules(resolved: ResolvedPolicy, count: number): ResolvedPolicy {
  const all = resolved.ruleSets[0]?.rules ?? [];
  return {
    ...resolved,
    ruleSets: [{ id: "main", defaultAction: "deny", rules: all.slice(0, count) }],
  };
}

function main(): void {
  const began = performance.now();
  const inv = inventory();
  const maxRules = Math.max(...RULE_COUNTS);
  const policy = {
    schemaVersion: 1,
    objects: objects(),
    services: services(),
    ruleSets: [{ id: "main", defaultAction: "deny", rules: rules(maxRules) }],
  };

  let start = performance.now();
  const resolved = resolvePolicy(policy, inv);
  const compileMs = performance.now() - start;
  console.log(`resolved in ${Math.round(compileMs)} ms`);
  const sample = flows(20_000);

  const rows = RULE_COUNTS.map((count) => {
    const subset = withRules(resolved, count);
    start = performance.now();
    const index = buildIndex(subset);
    const buildMs = performance.now() - start;
    const indexedUs = perCall(sample, (flow) => decide(index, flow));
    const linearFlows = sample.slice(0, count >= 50_000 ? 12 : count >= 10_000 ? 50 : 250);
    const linearUs = perCall(linearFlows, (flow) => decideLinear(subset, flow), false);
    for (const flow of linearFlows.slice(0, 10)) {
      if (JSON.stringify(decide(index, flow)) !== JSON.stringify(decideLinear(subset, flow)))
        throw new Error("indexed and linear decisions differ");
    }
    console.log(
      `${count} rules: build ${Math.round(buildMs)} ms, decide ${indexedUs.toFixed(2)} µs, linear ${linearUs.toFixed(1)} µs`,
    );
    return { rules: count, buildMs, indexedUs, linearUs, speedup: linearUs / indexedUs, index };
  });

  const index = rows[rows.length - 1]?.index;
  if (!index) throw new Error("no index built");
  const addresses = sample.map((f) => parseIp(f.srcIp));
  const lookupUs = perCall(addresses, (address) => index.prefixes.lookup(address));
  const floor = new Map(sample.map((f, i) => [f.srcIp, i]));
  const mapUs = perCall(sample, (flow) => floor.get(flow.srcIp));
  const typedBytes = index.prefixes.byteLength();
  const prefixCount = index.prefixes.prefixCount;

  const gc = gcNow();
  gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const extra = buildIndex(withRules(resolved, 0));
  gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  const heapBytes = extra.prefixes.prefixCount > 0 ? heapAfter - heapBefore : 0;

  const first = rows[0];
  const tenK = rows.find((r) => r.rules === 10_000);
  const last = rows[rows.length - 1];
  const results = {
    assets: ASSETS,
    objects: OBJECTS,
    prefixes: prefixCount,
    compileMs: Math.round(compileMs),
    decisions: rows.map(({ index: _index, ...row }) => row),
    lookup: { indexedUs: lookupUs, mapGetUs: mapUs, ratio: lookupUs / mapUs },
    memory: {
      typedArrayBytesPerPrefix: typedBytes / prefixCount,
      heapBytesPerPrefixNoRules: gc ? heapBytes / prefixCount : null,
    },
    goals: {
      speedupAt10k: tenK ? tenK.speedup : null,
      speedupAt10kMet: tenK ? tenK.speedup >= 100 : null,
      ratio50kTo1k: last && first ? last.indexedUs / first.indexedUs : null,
      ratio50kTo1kMet: last && first ? last.indexedUs / first.indexedUs <= 2 : null,
      bytesPerPrefixMet: typedBytes / prefixCount <= 64,
    },
    totalSeconds: (performance.now() - began) / 1000,
  };
  printTable(results);
  const out = join(fileURLToPath(new URL("../..", import.meta.url)), "bench-results");
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "engine.json"), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`wrote ${join("bench-results", "engine.json")}`);
}

function printTable(r: {
  assets: number;
  objects: number;
  prefixes: number;
  compileMs: number;
  decisions: {
    rules: number;
    buildMs: number;
    indexedUs: number;
    linearUs: number;
    speedup: number;
  }[];
  lookup: { indexedUs: number; mapGetUs: number; ratio: number };
  memory: { typedArrayBytesPerPrefix: number; heapBytesPerPrefixNoRules: number | null };
  goals: Record<string, number | boolean | null>;
}): void {
  const f = (n: number, digits = 2) => n.toFixed(digits);
  console.log(
    `\n### Policy engine: ${r.assets} assets, ${r.objects} objects, ${r.prefixes} prefixes; compile ${r.compileMs} ms\n`,
  );
  console.log("| rules | index build ms | decide µs | decideLinear µs | speed-up |");
  console.log("|---:|---:|---:|---:|---:|");
  for (const d of r.decisions)
    console.log(
      `| ${d.rules} | ${f(d.buildMs, 0)} | ${f(d.indexedUs)} | ${f(d.linearUs, 1)} | ${f(d.speedup, 0)}× |`,
    );
  console.log(`\n| measure | value |\n|---|---:|`);
  console.log(`| prefix lookup µs | ${f(r.lookup.indexedUs, 3)} |`);
  console.log(`| Map.get floor µs | ${f(r.lookup.mapGetUs, 3)} |`);
  console.log(`| lookup / Map.get | ${f(r.lookup.ratio, 1)}× |`);
  console.log(`| typed-array bytes per prefix | ${f(r.memory.typedArrayBytesPerPrefix, 1)} |`);
  console.log(
    `| heap bytes per prefix (index without rules) | ${r.memory.heapBytesPerPrefixNoRules === null ? "n/a" : f(r.memory.heapBytesPerPrefixNoRules, 1)} |`,
  );
  for (const [goal, value] of Object.entries(r.goals))
    console.log(`| ${goal} | ${typeof value === "number" ? f(value, 2) : String(value)} |`);
}

main();
