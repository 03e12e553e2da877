// Starts the product's processes, prefixes their output, waits for each one's machine-readable
// "ready" line, and stops every one of them when the supervisor stops (Ctrl-C included).
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";

export interface ProcessSpec {
  /** Short label printed before each line of the process's output. */
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Returns the parsed ready information when a line announces readiness. */
  ready?: (line: string) => Record<string, unknown> | undefined;
  readyTimeoutMs?: number;
}

export interface Running {
  name: string;
  child: ChildProcess;
  info: Record<string, unknown>;
}

const running: Running[] = [];
let stopping = false;

/** Parses a JSON line of the form {"ready": "<name>", ...}. */
export function jsonReady(name: string) {
  return (line: string): Record<string, unknown> | undefined => {
    const start = line.indexOf("{");
    if (start < 0) return undefined;
    try {
      const value: unknown = JSON.parse(line.slice(start));
      if (value && typeof value === "object" && (value as { ready?: unknown }).ready === name) {
        return value as Record<string, unknown>;
      }
    } catch {
      return undefined;
    }
    return undefined;
  };
}

export function start(spec: ProcessSpec): Promise<Running> {
  const child = spawn(spec.command, spec.args, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const entry: Running = { name: spec.name, child, info: {} };
  running.push(entry);

  return new Promise((resolve, reject) => {
    let ready = spec.ready === undefined;
    if (ready) resolve(entry);
    const timer = setTimeout(() => {
      if (!ready) reject(new Error(`${spec.name} did not report ready in time`));
    }, spec.readyTimeoutMs ?? 180_000);

    const onLine = (line: string) => {
      process.stdout.write(`[${spec.name}] ${line}\n`);
      const info = !ready && spec.ready ? spec.ready(line) : undefined;
      if (info) {
        ready = true;
        entry.info = info;
        clearTimeout(timer);
        resolve(entry);
      }
    };
    if (child.stdout) createInterface({ input: child.stdout }).on("line", onLine);
    if (child.stderr) createInterface({ input: child.stderr }).on("line", onLine);
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`${spec.name} exited before ready (${code ?? signal})`));
      if (!stopping) {
        console.error(`[${spec.name}] exited (${code ?? signal}); stopping everything`);
        void stopAll(1);
      }
    });
  });
}

/** Runs a command to completion with inherited output; rejects on a non-zero exit. */
export function runToEnd(spec: Omit<ProcessSpec, "ready">): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      stdio: "inherit",
    });
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`${spec.name} failed with exit code ${code}`)),
    );
  });
}

/** Stops every started process group: SIGTERM, then SIGKILL after a grace period. */
export async function stopAll(exitCode = 0): Promise<never> {
  stopping = true;
  for (const { child } of running) signalGroup(child, "SIGTERM");
  const deadline = Date.now() + 8000;
  while (running.some(({ child }) => child.exitCode === null && child.signalCode === null)) {
    if (Date.now() > deadline) {
      for (const { child } of running) signalGroup(child, "SIGKILL");
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  process.exit(exitCode);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // The group is already gone.
  }
}

process.on("SIGINT", () => void stopAll(0));
process.on("SIGTERM", () => void stopAll(0));
