import { defineConfig } from "vitest/config";

/** The gateway's S3 endpoint driven by the real AWS SDK client against the test S3 server. */
export default defineConfig({
  test: {
    name: "s3-gateway",
    include: ["s3/gateway-*.test.ts"],
    environment: "node",
    testTimeout: 60_000,
    env: { AWS_EC2_METADATA_DISABLED: "true", METADATA_SERVER_DETECTION: "none" },
  },
});
