import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";

const cliRoot = fileURLToPath(new URL("..", import.meta.url));
const tsx = fileURLToPath(new URL("../../../node_modules/.bin/tsx", import.meta.url));

/** Engine fixtures of cloud CLI outputs, by path relative to edge/engine/test/fixtures/cloud. */
export const cloud = (path: string) =>
  fileURLToPath(new URL(`../../engine/test/fixtures/cloud/${path}`, import.meta.url));
export const fixture = (path: string) =>
  fileURLToPath(new URL(`fixtures/${path}`, import.meta.url));

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Spawns the real CLI exactly as `pnpm ringfence` does and collects its output. */
export function ringfence(...args: string[]): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(tsx, ["src/main.ts", ...args], { cwd: cliRoot }, (error, stdout, stderr) => {
      const code = error && typeof error.code === "number" ? error.code : error ? -1 : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** Parses each stdout line as JSON. */
export const jsonLines = (run: CliRun): unknown[] =>
  run.stdout
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as unknown);
