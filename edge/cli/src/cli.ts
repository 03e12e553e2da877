/**
 * Dispatches `ringfence <command> …` through the command table and turns every failure into a
 * one-line message and an exit code; nothing the user types can make it crash with a stack.
 */
import { CloudParseError } from "@ringfence/engine/parsers";
import { CliError, type CliIo } from "./command.ts";
import { COMMANDS } from "./commands/index.ts";

async function help(io: CliIo): Promise<void> {
  io.stdout("usage: ringfence <command> [options]\n\ncommands:");
  for (const [name, load] of Object.entries(COMMANDS)) {
    const { command } = await load();
    io.stdout(`  ${name.padEnd(12)} ${command.summary}`);
  }
  io.stdout("\nrun `ringfence <command> --help` for a command's options");
}

function fail(io: CliIo, message: string, code: number): number {
  io.stderr(`ringfence: ${message}`);
  return code;
}

/** Runs the CLI on `argv` (without `node` and the script) and returns the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    await help(io);
    return name === undefined ? 2 : 0;
  }

  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) return fail(io, `unknown command "${name}" (run ringfence --help)`, 2);
  const { command } = await load();
  if (args.includes("--help") || args.includes("-h")) {
    io.stdout(command.usage);
    return 0;
  }

  try {
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof CliError) {
      const hint = error.exitCode === 2 ? `\nusage: ${command.usage.split("\n")[0]}` : "";
      return fail(io, `${name}: ${error.message}${hint}`, error.exitCode);
    }
    if (error instanceof CloudParseError) return fail(io, `${name}: ${error.message}`, 1);
    const message = error instanceof Error ? error.message : String(error);
    return fail(io, `${name}: internal error: ${message}`, 1);
  }
}
