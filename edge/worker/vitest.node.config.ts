import { defineConfig } from "vitest/config";

/** The worker's Node-side tests: the dev-vars script and the documented `wrangler dev` run. */
export default defineConfig({
  test: {
    name: "worker:node",
    include: ["test/node/**/*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    env: { CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
  },
});
