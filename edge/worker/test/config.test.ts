import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";
import type { Env } from "../src/env.ts";

const valid = env as Env;

function issuesOf(overrides: Partial<Record<Exclude<keyof Env, "BUNDLES">, string | undefined>>) {
  try {
    parseConfig({ ...valid, ...overrides });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((issue) => issue.setting);
    throw error;
  }
  return [];
}

describe("worker configuration", () => {
  it("reads the test bindings with their defaults", () => {
    const config = parseConfig(valid);
    expect(config.bundleMaxStalenessMs).toBe(2000);
    expect(config.eventBatchSize).toBe(100);
    expect(config.controlPlaneUrl.pathname.endsWith("/")).toBe(true);
  });

  it("names each missing or malformed setting", () => {
    expect(issuesOf({ ORIGIN_URL: undefined })).toEqual(["ORIGIN_URL"]);
    expect(issuesOf({ ORIGIN_URL: "ftp://origin.test" })).toEqual(["ORIGIN_URL"]);
    expect(issuesOf({ ORIGIN_SIGNING_SECRET: "short" })).toEqual(["ORIGIN_SIGNING_SECRET"]);
    expect(issuesOf({ TRUSTED_KEYS: "{not json" })).toEqual(["TRUSTED_KEYS"]);
    expect(issuesOf({ TRUSTED_KEYS: "[]" })).toEqual(["TRUSTED_KEYS"]);
    expect(issuesOf({ BUNDLE_MAX_STALENESS_SECONDS: "0" })).toEqual([
      "BUNDLE_MAX_STALENESS_SECONDS",
    ]);
    expect(issuesOf({ EVENT_BATCH_SIZE: "ten" })).toEqual(["EVENT_BATCH_SIZE"]);
  });

  it("refuses a control plane at a cloud metadata address", () => {
    expect(issuesOf({ CONTROL_PLANE_URL: "http://169.254.169.254/" })).toEqual([
      "CONTROL_PLANE_URL",
    ]);
  });
});
