/**
 * Starts `wrangler dev` offline on loopback, as docs/worker.md tells people to run it; used by
 * the smoke test of that command and by the worker benchmark.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const WORKER_DIR = fileURLToPath(new URL("../../", import.meta.url));
const WRANGLER = `${WORKER_DIR}node_modules/.bin/wrangler`;

/** A running `wrangler dev` with the URL it listens on. */
export interface DevServer {
  url: string;
  /** Everything wrangler has printed so far. */
  readonly output: string;
  process: ChildProcess;
  /** Ends wrangler and its workerd processes; resolves once they are gone. */
  stop(): Promise<void>;
}

/** Environment that keeps wrangler and Miniflare from reaching anything beyond loopback. */
export const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: "false",
  WRANGLER_SEND_ERROR_REPORTS: "false",
  WRANGLER_HIDE_BANNER: "true",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
};

/** How to start it beyond the arguments: environment, and a command wrapping wrangler. */
export interface DevOptions {
  deadlineMs?: number;
  /** Replaces OFFLINE_ENV (the rest of the environment is inherited). */
  env?: Record<string, string>;
  /** A command and its arguments that run wrangler (appended to them) in a sandbox. */
  wrapper?: string[];
}

/**
 * Starts `wrangler dev` for a config on 127.0.0.1 with an ephemeral port and resolves once it
 * prints its ready line; rejects (and kills it) when that takes longer than the deadline.
 */
export function startWranglerDev(
  args: string[],
  given: DevOptions | number = {},
): Promise<DevServer> {
  // A bare number is the deadline, as callers written before the options gave it.
  const options = typeof given === "number" ? { deadlineMs: given } : given;
  const deadlineMs = options.deadlineMs ?? 120_000;
  const command = [
    ...(options.wrapper ?? []),
    WRANGLER,
    ...["dev", "--ip", "127.0.0.1", "--port", "0", "--inspector-port", "0", ...args],
  ];
  const env = { ...process.env, ...(options.env ?? OFFLINE_ENV) };
  const child = spawn(command[0] ?? WRANGLER, command.slice(1), {
    cwd: WORKER_DIR,
    env,
    detached: true,
  });
  const stop = () => stopGroup(child);
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => {
      void stop();
      reject(new Error(`wrangler dev did not get ready in ${deadlineMs} ms:\n${output}`));
    }, deadlineMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const ready = /Ready on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (ready?.[1] !== undefined) {
        clearTimeout(timer);
        const url = ready[1];
        resolve({
          url,
          get output() {
            return output;
          },
          process: child,
          stop,
        });
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

/**
 * Signals wrangler's whole process group (wrangler, its Node helper and the workerd processes).
 * wrangler does not always exit on SIGTERM once its parent is gone, so SIGKILL follows after a
 * grace period.
 */
function stopGroup(child: ChildProcess, graceMs = 3000): Promise<void> {
  const group = child.pid;
  if (group === undefined) return Promise.resolve();
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-group, name);
    } catch {
      // The group is already gone.
    }
  };
  signal("SIGTERM");
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      signal("SIGKILL");
      resolve();
    }, graceMs);
    if (child.exitCode !== null || child.signalCode !== null) {
      clearTimeout(force);
      signal("SIGKILL");
      resolve();
      return;
    }
    child.once("exit", () => {
      clearTimeout(force);
      // Helpers of the group may outlive wrangler itself.
      signal("SIGKILL");
      resolve();
    });
  });
}
