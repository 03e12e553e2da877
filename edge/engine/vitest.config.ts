import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    name: "engine:node",
    include: ["test/**/*.test.ts"],
    environment: "node",
  },
});
