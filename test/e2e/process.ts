import { type ChildProcess, spawn } from "node:child_process";

/** A child process started by the suite, with its ready line and what it printed. */
export interface Started {
  name: string;
  pid: number;
  ready: Record<string, unknown>;
  output(): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  /** True for the JSON line that says the process is ready. */
  isReady(line: Record<string, unknown>): boolean;
  /** Generous on purpose: two shared cores and tsx compiling on first start. */
  timeoutMs?: number;
}

function parseLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** Ends the process by its own pid: SIGTERM, then SIGKILL if it has not exited in 10 s. */
function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Spawns a process and resolves with its ready line. A process that exits or stays silent past
 * the deadline is stopped and the start fails with what it printed, so a broken part names itself.
 */
export function startProcess(options: StartOptions): Promise<Started> {
  const child = spawn(options.command, options.args, {
    cwd: options.cwd,
    env: options.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let text = "";
  let pending = "";
  const output = () => text.slice(-20_000);
  const stop = () => stopChild(child);

  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      stop().then(() => reject(new Error(`${options.name} ${why}:\n${output()}`)));
    };
    const timer = setTimeout(() => fail("did not get ready in time"), options.timeoutMs ?? 180_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const parsed = parseLine(line.trim());
        if (parsed && options.isReady(parsed) && child.pid !== undefined) {
          clearTimeout(timer);
          resolve({ name: options.name, pid: child.pid, ready: parsed, output, stop });
        }
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("error", (error) => fail(`could not start: ${error.message}`));
    child.once("exit", (code, signal) => fail(`exited (${code ?? signal})`));
  });
}
