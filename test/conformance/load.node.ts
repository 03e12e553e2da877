import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type ResolvedPolicy, resolvePolicy } from "@ringfence/engine/policy";
import { type CorpusFile, parseCorpusFile } from "./corpus.ts";

const here = import.meta.dirname;

/** A corpus file with its policy already resolved against its inventory. */
export interface LoadedCorpus {
  file: CorpusFile;
  resolved: ResolvedPolicy;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, "utf8"));
}

/** Reads every corpus file under cases/ and resolves its documents with the engine. */
export function loadCorpus(): LoadedCorpus[] {
  return readdirSync(join(here, "cases"))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => {
      const file = parseCorpusFile(name, readJson(join(here, "cases", name)));
      const policy = readJson(join(here, "documents", file.policy));
      const inventory = readJson(join(here, "documents", file.inventory));
      return { file, resolved: resolvePolicy(policy, inventory) };
    });
}
