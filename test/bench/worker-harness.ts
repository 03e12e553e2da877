/**
 * Helpers of the worker benchmark: starting `wrangler dev` offline on loopback and reading the
 * CPU time and memory of the workerd processes it runs from /proc (clocks inside workerd do not
 * advance while a request executes, so the worker cannot time itself).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const WORKER_DIR = fileURLToPath(new URL("../../edge/worker/", import.meta.url));
const WRANGLER = `${WORKER_DIR}node_modules/.bin/wrangler`;
const CLOCK_TICKS_PER_SECOND = 100;

/** A running `wrangler dev` with the URL it listens on. */
export interface DevServer {
  url: string;
  process: ChildProcess;
  stop(): void;
}

/** Environment that keeps wrangler and Miniflare from reaching anything beyond loopback. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/**
 * Starts `wrangler dev` for a config on 127.0.0.1 with an ephemeral port and resolves once it
 * prints its ready line; rejects (and kills it) when that takes longer than the deadline.
 */
export function startWranglerDev(args: string[], deadlineMs = 120_000): Promise<DevServer> {
  const child = spawn(
    WRANGLER,
    ["dev", "--ip", "127.0.0.1", "--port", "0", "--inspector-port", "0", ...args],
    { cwd: WORKER_DIR, env: { ...process.env, ...OFFLINE_ENV }, detached: true },
  );
  const stop = () => {
    if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, "SIGTERM");
  };
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`wrangler dev did not get ready in ${deadlineMs} ms:\n${output}`));
    }, deadlineMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const ready = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready?.[1] !== undefined) {
        clearTimeout(timer);
        resolve({ url: ready[1], process: child, stop });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`wrangler dev exited with ${code}:\n${output}`));
    });
  });
}

interface ProcStat {
  pid: number;
  ppid: number;
  name: string;
  cpuTicks: number;
}

function readStat(pid: number): ProcStat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name is in parentheses and may contain spaces; fields follow the last ")".
    const close = text.lastIndexOf(")");
    const name = text.slice(text.indexOf("(") + 1, close);
    const fields = text.slice(close + 2).split(" ");
    const ticks = Number(fields[11]) + Number(fields[12]);
    return { pid, ppid: Number(fields[1]), name, cpuTicks: ticks };
  } catch {
    return undefined;
  }
}

/** The workerd processes started (at any depth) by a process. */
export function workerdPids(rootPid: number): number[] {
  const stats = readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .flatMap((entry) => readStat(Number(entry)) ?? []);
  const tree = new Set([rootPid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const stat of stats) {
      if (tree.has(stat.ppid) && !tree.has(stat.pid)) {
        tree.add(stat.pid);
        grew = true;
      }
    }
  }
  return stats.filter((s) => tree.has(s.pid) && s.name.startsWith("workerd")).map((s) => s.pid);
}

/** User plus system CPU time of the processes, in milliseconds. */
export function cpuMs(pids: readonly number[]): number {
  const ticks = pids.reduce((sum, pid) => sum + (readStat(pid)?.cpuTicks ?? 0), 0);
  return (ticks * 1000) / CLOCK_TICKS_PER_SECOND;
}

/** Resident memory of the processes, in MiB. */
export function rssMiB(pids: readonly number[]): number {
  let kib = 0;
  for (const pid of pids) {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    kib += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return kib / 1024;
}
