/**
 * Helpers of the worker benchmark: reading the CPU time and memory of the workerd processes that
 * `wrangler dev` runs, from /proc (clocks inside workerd do not advance while a request
 * executes, so the worker cannot time itself).
 */
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { WebSocket } from "undici";

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

/** Loopback TCP ports the processes listen on, from /proc (no external tool). */
function listeningPorts(pids: readonly number[]): number[] {
  const inodes = new Set<string>();
  for (const pid of pids) {
    for (const fd of readdirSync(`/proc/${pid}/fd`)) {
      try {
        const socket = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
        if (socket?.[1] !== undefined) inodes.add(socket[1]);
      } catch {
        // The descriptor closed meanwhile.
      }
    }
  }
  const ports: number[] = [];
  for (const line of readFileSync("/proc/net/tcp", "utf8").split("\n").slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [local, state, inode] = [fields[1], fields[3], fields[9]];
    if (state !== "0A" || inode === undefined || !inodes.has(inode)) continue;
    if (local?.startsWith("0100007F:")) ports.push(Number.parseInt(local.slice(9), 16));
  }
  return ports;
}

/** Used and total JS heap of one worker's isolate, in MiB. */
export interface IsolateHeap {
  usedMiB: number;
  totalMiB: number;
}

/**
 * The JS heap of the user worker's isolate, read through the inspector proxy `wrangler dev`
 * opens on loopback (workerd's own inspector admits one session, which the proxy holds): a full
 * collection first, then Runtime.getHeapUsage. So what the isolate holds is told apart from
 * the RSS workerd keeps after a peak and from miniflare's own isolates (cache, entry).
 */
export async function isolateHeap(pids: readonly number[]): Promise<IsolateHeap> {
  let socketUrl: string | undefined;
  for (const port of listeningPorts(pids)) {
    const targets = await fetch(`http://127.0.0.1:${port}/json`, {
      signal: AbortSignal.timeout(2000),
    })
      .then((response) => response.json() as Promise<{ webSocketDebuggerUrl?: string }[]>)
      .catch(() => []);
    const proxy = (Array.isArray(targets) ? targets : []).find((target) =>
      target.webSocketDebuggerUrl?.endsWith(`127.0.0.1:${port}/ws`),
    );
    socketUrl ??= proxy?.webSocketDebuggerUrl;
  }
  if (socketUrl === undefined) throw new Error("no wrangler inspector proxy found");
  // The proxy admits local origins only, as a devtools page on this machine would have.
  const socket = new WebSocket(socketUrl, { headers: { origin: "http://127.0.0.1" } });
  socket.binaryType = "arraybuffer";
  const pending = new Map<number, (result: unknown) => void>();
  socket.addEventListener("message", (event) => {
    const data = event.data as string | ArrayBuffer;
    const text = typeof data === "string" ? data : new TextDecoder().decode(data);
    const message = JSON.parse(text) as { id?: number; result?: unknown };
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  await new Promise((resolve, reject) => {
    socket.addEventListener("open", resolve);
    socket.addEventListener("error", () => reject(new Error(`cannot open ${socketUrl}`)));
  });
  let next = 0;
  const call = (method: string, seconds = 60) => {
    const callId = ++next;
    return new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${method}: no answer in ${seconds} s`)),
        seconds * 1000,
      );
      pending.set(callId, (result) => {
        clearTimeout(timer);
        resolve(result);
      });
      socket.send(JSON.stringify({ id: callId, method }));
    });
  };
  try {
    // workerd answers no HeapProfiler.collectGarbage; a heap snapshot collects fully first (its
    // chunks arrive as events, which are ignored).
    // A 100k-asset isolate's snapshot streams tens of MiB through wrangler's proxy.
    await call("HeapProfiler.takeHeapSnapshot", 240);
    const usage = (await call("Runtime.getHeapUsage")) as { usedSize: number; totalSize: number };
    const mib = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));
    return { usedMiB: mib(usage.usedSize), totalMiB: mib(usage.totalSize) };
  } finally {
    socket.close();
  }
}
