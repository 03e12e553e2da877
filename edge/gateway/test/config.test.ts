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

  it("validates the S3 endpoint and names what is wrong in it", () => {
    const s3 = {
      listen: { host: "127.0.0.1", port: 0 },
      region: "us-east-1",
      clients: [{ accessKeyId: "RFGWABCDEFGHIJKLMNOP", secretFile: "/etc/ringfence/s3-client" }],
      rules: [{ id: "r", effect: "allow", buckets: ["data-*"], actions: ["s3:GetObject"] }],
      upstream: {
        url: "https://s3.us-east-1.amazonaws.com",
        accessKeyId: "AKIAEXAMPLE",
        secretAccessKeyFile: "/etc/ringfence/s3-upstream",
      },
    };
    expect(parseGatewayConfig({ stateDir: "/tmp/x", s3 }).s3?.upstream.addressing).toBe("path");
    const bad = { ...s3, region: "useast", rules: [{ ...s3.rules[0], actions: ["GetObject"] }] };
    expect(() => parseGatewayConfig({ stateDir: "/tmp/x", s3: bad })).toThrow(
      /s3\.region: .*s3\.rules\.0\.actions\.0: expected s3:Action/,
    );
  });
});
