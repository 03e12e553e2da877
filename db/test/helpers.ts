import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A fresh directory under the system temp folder for one test's PGlite data. */
export function tempDataDir(): string {
  return join(mkdtempSync(join(tmpdir(), "ringfence-db-")), "pgdata");
}

const tsxCli = createRequire(import.meta.url).resolve("tsx/cli");

/** Runs a TypeScript file in a real child process under tsx and parses its last stdout line. */
export function runTsx(file: string, args: string[]): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [tsxCli, file, ...args], { stdio: "pipe" });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("error", reject);
    child.on("close", () => {
      const last = out.trim().split("\n").pop();
      if (!last) return reject(new Error(`child printed nothing; stderr: ${err}`));
      resolve(JSON.parse(last));
    });
  });
}
