import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { ConfigError, parseGatewayConfig } from "../src/config.ts";

describe("gateway configuration", () => {
  it("accepts the shipped example and fills defaults", () => {
    const example = new URL("../../../infra/gateway/gateway.example.json", import.meta.url);
    const config = parseGatewayConfig(JSON.parse(readFileSync(example, "utf8")));
    expect(config.workers).toBe(2);
    expect(config.events.batchSize).toBe(500);
  });

  it("names every bad setting in one error", () => {
    const bad = { stateDir: "", listen: { metrics: { host: "0.0.0.0", port: 70000 } }, workers: 0 };
    expect(() => parseGatewayConfig(bad)).toThrow(ConfigError);
    try {
      parseGatewayConfig(bad);
    } catch (error) {
      const message = String(error);
      for (const setting of ["stateDir", "listen.metrics.host", "listen.metrics.port", "workers"]) {
        expect(message).toContain(`${setting}:`);
      }
    }
  });

  it("refuses unknown settings rather than ignoring a typo", () => {
    expect(() => parseGatewayConfig({ stateDir: "/tmp/x", failclosed: false })).toThrow(
      /failclosed/,
    );
  });
});
