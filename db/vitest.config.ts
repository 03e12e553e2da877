import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "db",
    include: ["test/**/*.test.ts"],
    environment: "node",
    // A guard against hangs, not a speed check: on-disk PGlite start-up plus a tsx child process
    // takes tens of seconds on a loaded two-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
