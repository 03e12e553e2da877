import { defineConfig } from "vitest/config";
import { DEMO_SOURCES } from "../db/src/seed/demo-inventory.ts";
import { NAMESPACE_ADDRESSES, reexecInNamespace } from "./e2e/netns.ts";

// The whole command moves into a namespace with only loopback before any test is collected, so
// nothing in this project can reach beyond the machine even by mistake (docs/breach-replay.md).
reexecInNamespace([...Object.values(DEMO_SOURCES), ...Object.values(NAMESPACE_ADDRESSES)]);

/** The breach replay and its parts: S3 with bucket policies, the vulnerable app, the seed. */
export default defineConfig({
  test: {
    name: "e2e",
    include: ["e2e/**/*.test.ts", "s3/**/*.test.ts", "vulnerable-app/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 300_000,
  },
});
