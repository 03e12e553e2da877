/**
 * Loads inventory files for any command: each may be a canonical inventory or a supported cloud
 * CLI output (detected by content), and several are merged into one inventory.
 */
import type { Inventory } from "@ringfence/engine/documents";
import { CloudParseError, detectAndParse, type ParseContext } from "@ringfence/engine/parsers";
import { type CliIo, InputError } from "./command.ts";

/** Reads a file, turning a filesystem failure into an input error that names the file. */
export async function readInput(io: CliIo, file: string): Promise<string> {
  try {
    return await io.readFile(file);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const why = typeof code === "string" ? code : error instanceof Error ? error.message : "";
    throw new InputError(`${file}: cannot read the file (${why})`, { cause: error });
  }
}

/**
 * Reads and merges inventories. An asset id seen in an earlier file wins, so the same asset
 * listed by two exports (an instance and its canonical form, say) counts once.
 */
export async function loadInventories(
  files: readonly string[],
  io: CliIo,
  context: ParseContext = {},
): Promise<Inventory> {
  const assets = new Map<string, Inventory["assets"][number]>();
  for (const file of files) {
    const text = await readInput(io, file);
    let parsed: Inventory;
    try {
      parsed = detectAndParse(file, text, context).inventory;
    } catch (error) {
      if (error instanceof CloudParseError) throw new InputError(error.message, { cause: error });
      throw error;
    }
    for (const asset of parsed.assets) if (!assets.has(asset.id)) assets.set(asset.id, asset);
  }
  return { schemaVersion: 1, assets: [...assets.values()] };
}
