import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

/** The CPU the load generator runs on; the system under test gets the other one. */
export const LOAD_CPU = "0";
export const SUT_CPU = "1";

/** Pins this process to `cpu` so measurements in it do not wander onto the SUT's core. */
export function pinSelf(cpu: string): void {
  spawnSync("taskset", ["-cp", cpu, String(process.pid)], { stdio: "ignore" });
}

/**
 * Spawns `command` pinned to `cpu` and resolves with the child and the first JSON line it
 * prints; a child that exits first fails the start with what it wrote on stderr.
 */
export function spawnPinned(
  cpu: string,
  command: string,
  args: string[],
  input?: string,
): Promise<{ child: ChildProcess; ready: Record<string, unknown> }> {
  const child = spawn("taskset", ["-c", cpu, command, ...args], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  child.stdin?.end(input ?? "");
  let errors = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    let pending = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const line = pending.split("\n").find((l) => l.trim().startsWith("{"));
      if (line && pending.includes("\n")) resolve({ child, ready: JSON.parse(line) });
    });
    child.once("exit", (code) => reject(new Error(`${command} exited with ${code}: ${errors}`)));
  });
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (taskset execs the
 * command, so a pinned child's pid is the command's own).
 */
export function processCpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  // utime and stime are fields 14 and 15 of stat, in clock ticks of 10 ms on Linux.
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Stops a child by its own pid: SIGTERM, then SIGKILL after `graceMs`. */
export function stopChild(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), graceMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** A port that was free a moment ago on 127.0.0.1, for servers that cannot listen on port 0. */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no free port");
  return address.port;
}
