import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/**
 * The worker's tests run inside workerd with the wrangler configuration. Real HTTP servers on
 * 127.0.0.1 (the origin and the control plane) are started in Node by the global setup and
 * reached by the worker over loopback; their addresses arrive through `inject`.
 */
// Miniflare would otherwise download Cloudflare's request metadata (cf.json) at start; tests
// must not reach beyond loopback, and the fallback metadata is all they need.
process.env.CLOUDFLARE_CF_FETCH_ENABLED ??= "false";
process.env.WRANGLER_SEND_METRICS ??= "false";

export default defineConfig({
  plugins: [
    cloudflareTest(({ inject }) => ({
      main: "./src/index.ts",
      wrangler: { configPath: "./wrangler.jsonc" },
      miniflare: {
        bindings: inject("workerBindings"),
        kvNamespaces: ["BUNDLES"],
      },
    })),
  ],
  test: {
    name: "worker",
    // The first request of a file loads the whole engine into workerd, which takes seconds on
    // the two shared cores; the default 5 s would fail on load rather than on behaviour.
    testTimeout: 30_000,
    include: ["test/**/*.test.ts"],
    exclude: ["test/node/**"],
    globalSetup: ["./test/node/global.ts"],
  },
});
