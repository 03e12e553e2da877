import { defineConfig } from "vitest/config";

/** CLI tests spawn the real `ringfence` process under tsx, so they run in Node only. */
export default defineConfig({
  test: {
    name: "cli",
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 30_000,
  },
});
