/**
 * Helpers of the worker benchmark: reading the CPU time and memory of the workerd processes that
 * `wrangler dev` runs, from /proc (clocks inside workerd do not advance while a request
 * executes, so the worker cannot time itself).
 */
import { readdirSync, readFileSync } from "node:fs";

export {
  type DevServer,
  startWranglerDev,
} from "../../edge/worker/test/node/wrangler-dev.ts";

const CLOCK_TICKS_PER_SECOND = 100;

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
