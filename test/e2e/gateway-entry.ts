/**
 * Runs `ringfence gateway --config FILE` through the CLI's own gateway command module, because
 * the CLI's command table (edge/cli/src/commands/index.ts) does not register `gateway` yet.
 * Gap: once it does, stack.ts starts `edge/cli/src/main.ts gateway` and this file goes.
 */
import { readFile } from "node:fs/promises";
import { command } from "../../edge/cli/src/commands/gateway.ts";

const io = {
  stdout: (line: string) => process.stdout.write(`${line}\n`),
  stderr: (line: string) => process.stderr.write(`${line}\n`),
  readFile: (path: string) => readFile(path, "utf8"),
};

try {
  process.exitCode = await command.run(process.argv.slice(2), io);
} catch (error) {
  process.stderr.write(
    `ringfence gateway: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
