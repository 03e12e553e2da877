import type { TestProject } from "vitest/node";
import { buildConsole } from "./harness.ts";

declare module "vitest" {
  export interface ProvidedContext {
    consoleBuilt: boolean;
  }
}

/**
 * Builds the console once for every browser file: each file starts its own server on its own
 * data directory, but `next build` takes minutes and its output is the same for all of them.
 */
export default async function setup(project: TestProject): Promise<void> {
  await buildConsole();
  project.provide("consoleBuilt", true);
}
