import { defineConfig } from "vitest/config";

/** The WAF corpus runners: they read the shared CRS corpus and our labelled corpus from disk. */
export default defineConfig({
  test: {
    name: "waf",
    include: ["waf/**/*.test.ts"],
    environment: "node",
    testTimeout: 120_000,
  },
});
