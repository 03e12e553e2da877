import { describe, expect, it } from "vitest";
import { tenant } from "./support.ts";

describe("before any bundle was verified", () => {
  it("answers 503 problem+json and forwards nothing", async () => {
    const edge = tenant("noBundle");
    const response = await edge.call("/orders");
    expect(response.status).toBe(503);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ code: "no-policy", status: 503 });
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("stays closed when the only bundle offered is signed by an untrusted key", async () => {
    const otherKeys = JSON.stringify([
      { keyId: "ed25519-000000000000000000000000", publicKey: btoa("k".repeat(32)) },
    ]);
    const edge = tenant("untrusted", { TRUSTED_KEYS: otherKeys });
    await edge.publish({ rules: [] });
    expect((await edge.call("/orders")).status).toBe(503);

    const status = await edge.call("/__ringfence/status", {
      headers: { authorization: "Bearer status-token-0123456789" },
    });
    const body = await status.json<{ bundle: { refusals: number; lastError: string } }>();
    expect(body.bundle.refusals).toBeGreaterThan(0);
    expect(body.bundle.lastError).toContain("unknown-key");
  });
});

describe("misconfiguration", () => {
  it("answers 500 naming nothing internal, while the log names the setting", async () => {
    const edge = tenant("misconfigured", { ORIGIN_URL: "not a url" });
    const response = await edge.call("/");
    expect(response.status).toBe(500);
    const body = await response.json<Record<string, unknown>>();
    expect(body.code).toBe("misconfigured");
    expect(JSON.stringify(body)).not.toContain("ORIGIN_URL");
  });
});
