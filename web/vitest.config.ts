import { defineConfig } from "vitest/config";

/**
 * The web package's suites against PGlite (in memory, one database per test file). The same API
 * suites run against PostgreSQL in vitest.pg.config.ts.
 */
export default defineConfig({
  test: {
    name: "web:pglite",
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
});
