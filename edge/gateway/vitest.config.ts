import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "gateway",
    include: ["test/**/*.test.ts"],
    environment: "node",
    testTimeout: 20_000,
    env: { AWS_EC2_METADATA_DISABLED: "true", METADATA_SERVER_DETECTION: "none" },
  },
});
