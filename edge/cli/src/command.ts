/**
 * The contract every `ringfence` subcommand follows, and the two error kinds that decide the
 * exit code: 2 for usage errors (bad flags or arguments), 1 for input errors (bad files).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

/** Where a command reads and writes; injected so commands stay testable and quiet. */
export interface CliIo {
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
  readonly readFile: (path: string) => Promise<string>;
}

/** One subcommand. `run` resolves to the exit code, or throws a {@link CliError}. */
export interface Command {
  readonly summary: string;
  readonly usage: string;
  run(args: readonly string[], io: CliIo): Promise<number>;
}

/** An error the CLI reports in one line and turns into an exit code. */
export class CliError extends Error {
  override readonly name: string = "CliError";

  constructor(
    message: string,
    readonly exitCode: 1 | 2,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The command line is wrong: exit code 2. */
export class UsageError extends CliError {
  override readonly name = "UsageError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 2, options);
  }
}

/** A file or value the command read is wrong: exit code 1. */
export class InputError extends CliError {
  override readonly name = "InputError";

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, 1, options);
  }
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** `parseArgs` with strict flags, whose complaints become usage errors. */
export function parseFlags<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(message, { cause: error });
  }
}
