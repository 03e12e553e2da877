import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The workspace root, whatever the current directory. */
export const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
/** Where every benchmark writes its JSON (git-ignored). */
export const RESULTS_DIR = join(ROOT, "bench-results");

/** Writes `bench-results/<name>` (JSON when the name ends in .json) and returns its path. */
export function writeResult(name: string, content: unknown): string {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const path = join(RESULTS_DIR, name);
  const text = typeof content === "string" ? content : `${JSON.stringify(content, null, 2)}\n`;
  writeFileSync(path, text);
  return path;
}

/** Reads `bench-results/<name>.json`, or undefined when it is missing or not JSON. */
export function readResult(name: string): unknown {
  try {
    return JSON.parse(readFileSync(join(RESULTS_DIR, `${name}.json`), "utf8"));
  } catch {
    return undefined;
  }
}
