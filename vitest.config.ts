import { defineConfig } from "vitest/config";

/**
 * Every suite of the workspace. Each package keeps its own config beside its code; the
 * PostgreSQL leg of the database-backed suites is a separate project (see web/vitest.pg.config.ts).
 * The end-to-end project (test/vitest.e2e.config.ts) runs on its own, because it moves its
 * whole process into a network namespace with only loopback up (scripts/test.ts runs it).
 */
export default defineConfig({
  test: {
    projects: [
      "db/vitest.config.ts",
      "edge/*/vitest*.config.ts",
      "web/vitest*.config.ts",
      "test/vitest.config.ts",
      "test/vitest.s3.config.ts",
    ],
  },
});
