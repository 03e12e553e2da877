/**
 * JS heap the edge worker's bundle path costs for a 100k-asset policy, measured in Node on the
 * worker's own code (parse the envelope JSON, verify, compile), since workerd reports only its
 * process RSS. `pnpm bench:worker-memory` writes bench-results/worker-memory.json with:
 * - steady: heap held after a full collection at each step, above the heap before the envelope;
 * - peak: the smallest old-space limit the whole path completes in, found by bisection over
 *   child processes, minus the same base; what a step allocates and drops counts here.
 * The fixture is built and signed in a child of its own, as it takes far more heap than the path.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { BundleVerifier, generateSigningKeyPair, signBundle } from "@ringfence/engine/bundle";
import { resolvedPolicySchema, resolvePolicy } from "@ringfence/engine/policy";
import { compilePolicy } from "../../edge/worker/src/enforce.ts";
import { largePolicy } from "./worker-fixtures.ts";

const ASSETS = 100_000;
const here = fileURLToPath(import.meta.url);

interface Fixture {
  keyId: string;
  publicKey: string;
  envelope: string;
}

/** Child mode `make <file>`: builds and signs the bundle, writes the envelope text. */
async function make(file: string): Promise<void> {
  const keys = await generateSigningKeyPair();
  const policy = resolvePolicy(...largePolicy(ASSETS));
  const payload = { format: 1 as const, organizationId: "org-bench", version: 1, keys: {} };
  const createdAt = new Date().toISOString();
  const signed = await signBundle({ ...payload, createdAt, policy }, keys.privateKey, keys.keyId);
  const fixture: Fixture = { ...keys, envelope: JSON.stringify(signed.envelope) };
  writeFileSync(file, JSON.stringify({ ...fixture, privateKey: undefined }));
}

function heapMiB(gc: () => void): number {
  gc();
  gc();
  const usage = process.memoryUsage();
  return (usage.heapUsed + usage.external) / 1024 / 1024;
}

/** Child mode `path <file>`: runs the worker's path and prints the heap held after each step. */
async function path(file: string): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error("the path mode needs node --expose-gc");
  const fixture = JSON.parse(readFileSync(file, "utf8")) as Fixture;
  const trusted = [{ keyId: fixture.keyId, publicKey: fixture.publicKey }];
  const verifier = BundleVerifier.create("org-bench", trusted, {
    policySchema: resolvedPolicySchema,
  });
  const base = heapMiB(gc);
  const steady: Record<string, number> = {};
  // The text is what the worker's fetch answered; it is dropped once parsed, as there.
  let envelope: unknown = JSON.parse(fixture.envelope);
  fixture.envelope = "";
  steady.envelopeParsed = heapMiB(gc) - base;
  let outcome: Awaited<ReturnType<typeof verifier.verify>> | undefined =
    await verifier.verify(envelope);
  if (!outcome.ok) throw new Error(`the fixture was refused: ${outcome.code}`);
  steady.verified = heapMiB(gc) - base;
  const compiled = compilePolicy(outcome.payload.policy);
  steady.compiledWithPayload = heapMiB(gc) - base;
  envelope = undefined;
  outcome = undefined;
  steady.compiledOnly = heapMiB(gc) - base;
  const flow = { srcIp: "10.0.1.2", dstHost: "a.test", dstPort: 443, path: "/", method: "GET" };
  if (compiled.decide(flow).action !== "allow") throw new Error("the compiled policy is wrong");
  console.log(JSON.stringify({ baseMiB: base, steady }));
}

function runPath(file: string, limitMiB?: number) {
  const flags = ["--expose-gc", "--max-semi-space-size=1", "--import", "tsx"];
  if (limitMiB !== undefined) flags.push(`--max-old-space-size=${limitMiB}`);
  return spawnSync(process.execPath, [...flags, here, "path", file], {
    encoding: "utf8",
    timeout: 300_000,
  });
}

/** The smallest old-space limit (MiB) the path completes in, by bisection between lo and hi. */
function smallestLimit(file: string, lo: number, hi: number): number {
  if (runPath(file, hi).status !== 0) throw new Error(`the path fails even with ${hi} MiB`);
  let low = lo;
  let high = hi;
  while (high - low > 1) {
    const mid = (low + high) >>> 1;
    if (runPath(file, mid).status === 0) high = mid;
    else low = mid;
  }
  return high;
}

async function main(): Promise<void> {
  const scratch = mkdtempSync(join(tmpdir(), "ringfence-bench-worker-memory-"));
  try {
    const file = join(scratch, "fixture.json");
    execFileSync(process.execPath, ["--import", "tsx", here, "make", file], { stdio: "inherit" });
    const bytes = JSON.parse(readFileSync(file, "utf8")).envelope.length as number;
    const free = runPath(file);
    if (free.status !== 0) throw new Error(`the path failed: ${free.stderr}`);
    const { baseMiB, steady } = JSON.parse(free.stdout) as {
      baseMiB: number;
      steady: Record<string, number>;
    };
    const limit = smallestLimit(file, Math.floor(baseMiB), 256);
    const round = (value: number) => Number(value.toFixed(1));
    const report = {
      date: new Date().toISOString(),
      method: "Node --expose-gc on the worker's parse/verify/compile; peak by old-space bisection",
      assets: ASSETS,
      envelopeBytes: bytes,
      baseHeapMiB: round(baseMiB),
      steadyMiBAboveBase: Object.fromEntries(Object.entries(steady).map(([k, v]) => [k, round(v)])),
      peakOldSpaceLimitMiB: limit,
      peakMiBAboveBase: round(limit - baseMiB),
    };
    console.log(JSON.stringify(report, null, 2));
    const results = join(here, "../../../bench-results");
    mkdirSync(results, { recursive: true });
    writeFileSync(join(results, "worker-memory.json"), `${JSON.stringify(report, null, 2)}\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const [mode, file] = process.argv.slice(2);
if (mode === "make" && file !== undefined) await make(file);
else if (mode === "path" && file !== undefined) await path(file);
else await main();
