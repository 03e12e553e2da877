import { defineConfig } from "vitest/config";

/**
 * The console driven through Debian's Chromium against `next build` + `next start` on loopback.
 * One server per file: a file's flows share the signed-in browser, so they run in order; files
 * run one after another and share one build.
 */
export default defineConfig({
  test: {
    name: "browser",
    // `*.browser.ts`, not `*.test.ts`: the package's PGlite project includes every test file.
    include: ["test/browser/**/*.browser.ts"],
    globalSetup: ["test/browser/build-once.ts"],
    environment: "node",
    testTimeout: 120_000,
    hookTimeout: 900_000,
    fileParallelism: false,
    env: { NEXT_TELEMETRY_DISABLED: "1" },
  },
});
