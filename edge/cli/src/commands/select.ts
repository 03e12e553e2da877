/** `ringfence select`: the ids of the assets a selector matches, across inventory files. */
import { evaluateSelector, parseSelector, SelectorSyntaxError } from "@ringfence/engine/selector";
import { type CliIo, type Command, parseFlags, UsageError } from "../command.ts";
import { loadInventories } from "../inventory-files.ts";

const usage = `ringfence select --inventory FILE... [--account ID] [--region NAME] 'SELECTOR'

Prints a JSON array of the ids of matching assets. Each FILE is a Ringfence inventory or the
JSON output of a supported cloud CLI command, detected by content; several may follow one
--inventory or repeat it. --account/--region fill in what an export does not say.`;

/** Parses the selector, reporting syntax errors as usage errors with their position. */
export function selectorOf(source: string) {
  try {
    return parseSelector(source);
  } catch (error) {
    if (error instanceof SelectorSyntaxError) throw new UsageError(error.message);
    throw error;
  }
}

async function run(args: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseFlags(args, {
    inventory: { type: "string", multiple: true },
    account: { type: "string" },
    region: { type: "string" },
  });
  const source = positionals.at(-1);
  const files = [...(values.inventory ?? []), ...positionals.slice(0, -1)];
  if (source === undefined) throw new UsageError("give a selector");
  if (files.length === 0) throw new UsageError("give at least one --inventory FILE");

  const selector = selectorOf(source);
  const context = { account: values.account, region: values.region };
  const inventory = await loadInventories(files, io, context);
  const ids = inventory.assets
    .filter((asset) => evaluateSelector(selector, asset))
    .map((a) => a.id);
  io.stdout(JSON.stringify(ids));
  return 0;
}

export const command: Command = { summary: "list the assets a selector matches", usage, run };
