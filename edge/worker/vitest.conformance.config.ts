import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

/**
 * The Node runners of the shared conformance corpus in test/conformance/ (the engine alone, and
 * the Node gateway once its proxy exists). The workerd runner is part of the `worker` project.
 */
export default defineConfig({
  test: {
    name: "conformance",
    root: fileURLToPath(new URL("../../test/conformance", import.meta.url)),
    include: ["*.node.test.ts"],
    environment: "node",
  },
});
