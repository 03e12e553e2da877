/** Entry point of the `ringfence` command (`pnpm ringfence …`, run with tsx). */
import { readFile } from "node:fs/promises";
import { runCli } from "./cli.ts";

const io = {
  stdout: (line: string) => process.stdout.write(`${line}\n`),
  stderr: (line: string) => process.stderr.write(`${line}\n`),
  readFile: (path: string) => readFile(path, "utf8"),
};

process.exitCode = await runCli(process.argv.slice(2), io);
