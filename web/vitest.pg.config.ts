import { defineConfig } from "vitest/config";

const pgUrl = process.env.RINGFENCE_TEST_PG_URL;
if (!pgUrl) {
  console.warn(
    "\n*** web:pg: RINGFENCE_TEST_PG_URL is unset, so the PostgreSQL leg of the API suites is SKIPPED ***\n",
  );
}

/**
 * The API suites against a real PostgreSQL: each test file creates a database of its own on the
 * server RINGFENCE_TEST_PG_URL names, so runs and files never collide.
 */
export default defineConfig({
  test: {
    name: "web:pg",
    include: pgUrl
      ? [
          "test/api/**/*.test.ts",
          "test/security/**/*.test.ts",
          "test/enforcers/**/*.test.ts",
          "test/policy/**/*.test.ts",
          "test/report/**/*.test.ts",
        ]
      : ["test/pg-skipped.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { RINGFENCE_TEST_BACKEND: "pg", NEXT_TELEMETRY_DISABLED: "1" },
  },
});
