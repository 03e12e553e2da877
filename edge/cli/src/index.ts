/** The CLI as a library: the dispatcher, the command contract and the command table. */
export { runCli } from "./cli.ts";
export {
  CliError,
  type CliIo,
  type Command,
  InputError,
  parseFlags,
  UsageError,
} from "./command.ts";
export { COMMANDS } from "./commands/index.ts";
export { loadInventories } from "./inventory-files.ts";
