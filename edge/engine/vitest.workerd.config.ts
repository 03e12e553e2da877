import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

/** The same engine tests, inside workerd: proof that the engine needs nothing but Web APIs. */
export default defineConfig({
  plugins: [
    cloudflareTest({
      miniflare: { compatibilityDate: "2026-01-01", compatibilityFlags: [] },
    }),
  ],
  test: {
    name: "engine:workerd",
    include: ["test/**/*.test.ts"],
    exclude: ["test/**/*.node.test.ts"],
  },
});
