/** `ringfence gateway --config FILE`: runs the Node.js VM gateway until SIGTERM or SIGINT. */
import cluster from "node:cluster";
import {
  ConfigError,
  type GatewayConfig,
  type GatewayProcess,
  parseGatewayConfig,
  runClusterPrimary,
  runClusterWorker,
  runGateway,
} from "@ringfence/gateway";
import { type CliIo, type Command, InputError, parseFlags, UsageError } from "../command.ts";

const usage = `ringfence gateway --config FILE

Runs the gateway described by FILE (JSON; see docs/gateway.md). Prints one line
{"ready":"gateway","proxy":PORT,"metrics":PORT,...} once it accepts connections, then runs
until SIGTERM or SIGINT, when it stops accepting and drains open connections.`;

async function loadConfig(file: string, io: CliIo): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await io.readFile(file);
  } catch (error) {
    throw new InputError(`cannot read the configuration file ${file}`, { cause: error });
  }
  try {
    return parseGatewayConfig(JSON.parse(text));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new InputError(`${file} is not valid JSON: ${error.message}`);
    if (error instanceof ConfigError) throw new InputError(`${file}: ${error.message}`);
    throw error;
  }
}

function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseFlags(args, { config: { type: "string" } });
  if (values.config === undefined) throw new UsageError("--config FILE is required");
  const config = await loadConfig(values.config, io);

  if (cluster.isWorker) {
    await runClusterWorker(config);
    await new Promise((resolve) => process.once("disconnect", resolve));
    return 0;
  }
  let proc: GatewayProcess;
  try {
    proc = config.workers > 1 ? await runClusterPrimary(config) : await runGateway(config);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new InputError(`the gateway could not start: ${message}`, { cause: error });
  }
  io.stdout(JSON.stringify(proc.readyLine));
  const signal = await untilSignal();
  io.stderr(JSON.stringify({ msg: "gateway stopping", signal }));
  await proc.stop();
  return 0;
}

export const command: Command = { summary: "run the Node.js VM gateway", usage, run };
