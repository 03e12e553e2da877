/**
 * `pnpm bench`: runs every benchmark as its own process, each bounded by a timeout, skips one
 * that fails with a clear line instead of aborting the rest, then writes bench-results/report.md
 * and bench-results/report.json with the figures each benchmark wrote and the goals beside them.
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type BenchOutcome, pickFigures, renderMarkdown, wafDetection } from "./lib/report.ts";
import { ROOT, readResult, writeResult } from "./lib/results.ts";

const TIMEOUT_SECONDS = Number(process.env.BENCH_TIMEOUT_SECONDS ?? 600);
const ONLY = process.env.BENCH_ONLY?.split(",").filter(Boolean);
// The report is rewritten after every benchmark, so a run stopped early still leaves one.
const BENCHMARKS = [
  "passthrough",
  "propagation",
  "engine",
  "waf",
  "gateway",
  "worker",
  "discover",
  "events",
];

/** Runs one benchmark in its own process group so a timeout stops its children too. */
function runOne(name: string): Promise<{ ok: boolean; reason?: string; seconds: number }> {
  const file = join(ROOT, "test/bench", `${name}.ts`);
  if (!existsSync(file)) return Promise.resolve({ ok: false, reason: "not built", seconds: 0 });
  const started = performance.now();
  const child = spawn(join(ROOT, "node_modules/.bin/tsx"), [file], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "inherit", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-2000);
    process.stderr.write(chunk);
  });
  // SIGTERM first so a benchmark can stop what it started in process groups of its own
  // (wrangler, nginx); the whole group is killed if it has not exited 15 s later.
  const signalGroup = (signal: NodeJS.Signals) => {
    if (child.pid === undefined || child.exitCode !== null) return;
    try {
      process.kill(-child.pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  let killTimer: NodeJS.Timeout | undefined;
  const timer = setTimeout(() => {
    signalGroup("SIGTERM");
    killTimer = setTimeout(() => signalGroup("SIGKILL"), 15_000);
  }, TIMEOUT_SECONDS * 1000);
  return new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      const seconds = (performance.now() - started) / 1000;
      if (code === 0) return resolve({ ok: true, seconds });
      const timedOut = seconds >= TIMEOUT_SECONDS;
      const why = timedOut
        ? `stopped after ${TIMEOUT_SECONDS} s (${signal ?? code})`
        : `exit ${code}`;
      const lines = stderr.trim().split("\n").filter(Boolean);
      const last = lines.findLast((l) => /error/i.test(l)) ?? lines.at(-1) ?? "";
      resolve({ ok: false, reason: `${why}${last ? `; ${last.slice(0, 160)}` : ""}`, seconds });
    });
  });
}

type Goal = NonNullable<BenchOutcome["goal"]>;

function num(figures: BenchOutcome["figures"], key: string): number | undefined {
  const value = figures[key];
  return typeof value === "number" ? value : undefined;
}

/** The goals of the brief, judged from the figures; unknown when a figure is missing. */
function goalOf(name: string, figures: BenchOutcome["figures"]): Goal | undefined {
  if (name === "passthrough") {
    const ratio = num(figures, "ratios.gateway.median");
    return { text: "gateway ≥ 0.8× minimal undici proxy", met: judge(ratio, (r) => r >= 0.8) };
  }
  if (name === "propagation") {
    const worst = Math.max(
      num(figures, "inventoryToEnforced.p99Ms") ?? Number.NaN,
      num(figures, "publishToEnforced.p99Ms") ?? Number.NaN,
    );
    return { text: "p99 ≤ 5 s", met: judge(worst, (p) => p <= 5000) };
  }
  if (name === "waf") {
    // waf.json's ringfenceToModsecRatio is the median requests/s ratio of interleaved rounds.
    // Named exactly: a pattern over the keys also matched the reference's ratio to itself (1).
    const ratio = num(figures, "ringfenceToModsecRatio");
    const caught = num(figures, "detection.ringfence.attacksCaught") ?? Number.NaN;
    const better =
      caught >= (num(figures, "detection.modsecurity.attacksCaught") ?? Number.NaN) &&
      (num(figures, "detection.ringfence.benignBlocked") ?? Number.NaN) <=
        (num(figures, "detection.modsecurity.benignBlocked") ?? Number.NaN);
    return {
      text: "WAF-inspected req/s ≥ 1.5× nginx+ModSecurity+CRS, equal or better detection",
      met: ratio === undefined ? "unknown" : ratio >= 1.5 && better,
    };
  }
  if (name === "worker") {
    // Every request shape's median CPU over the reference worker; the attack row is negative.
    const medians = Object.entries(figures)
      .filter(([key]) => key.startsWith("cpu.") && key.endsWith(".medianMs"))
      .map(([, value]) => (typeof value === "number" ? value : Number.NaN));
    const worst = medians.length === 0 ? undefined : Math.max(...medians);
    return { text: "median CPU ≤ 2 ms per request, every shape", met: judge(worst, (w) => w <= 2) };
  }
  return undefined;
}

function judge(value: number | undefined, test: (v: number) => boolean): Goal["met"] {
  return value === undefined || Number.isNaN(value) ? "unknown" : test(value);
}

async function main(): Promise<void> {
  const startedAt = new Date().toISOString();
  const outcomes: BenchOutcome[] = [];
  for (const name of BENCHMARKS.filter((n) => !ONLY || ONLY.includes(n))) {
    console.log(`bench: ${name} (at most ${TIMEOUT_SECONDS} s)`);
    const run = await runOne(name);
    const raw = run.ok ? readResult(name) : undefined;
    const figures = { ...pickFigures(raw), ...(name === "waf" ? wafDetection(raw) : {}) };
    if (!run.ok) console.log(`bench: ${name} skipped: ${run.reason}`);
    const goal = goalOf(name, figures);
    outcomes.push({
      name,
      status: run.ok ? "ok" : run.reason === "not built" ? "missing" : "failed",
      seconds: run.seconds,
      ...(run.reason ? { reason: run.reason } : {}),
      figures,
      ...(goal ? { goal } : {}),
    });
    writeResult("report.json", { startedAt, outcomes });
    writeResult("report.md", renderMarkdown(outcomes, startedAt));
  }
  console.log("bench: report written to bench-results/report.md and report.json");
}

await main();
