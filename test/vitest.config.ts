import { defineConfig } from "vitest/config";

/**
 * The WAF corpus runners (they read the shared CRS corpus and our labelled corpus from disk) and
 * the unit tests of the benchmark report.
 */
export default defineConfig({
  test: {
    name: "waf",
    include: ["waf/**/*.test.ts", "bench/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
