import { defineConfig } from "vitest/config";

/**
 * Every suite of the workspace. Each package keeps its own config beside its code; the
 * PostgreSQL leg of the database-backed suites is a separate project (see web/vitest.config.ts).
 */
export default defineConfig({
  test: {
    projects: [
      "db/vitest.config.ts",
      "edge/*/vitest*.config.ts",
      "web/vitest*.config.ts",
      "test/vitest*.config.ts",
    ],
  },
});
