import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const worker = exports.default;

function request(path: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  if (!headers.has("cf-connecting-ip")) headers.set("cf-connecting-ip", "203.0.113.7");
  return worker.fetch(new Request(`https://app.example.test${path}`, { ...init, headers }));
}

describe("status endpoint", () => {
  it("refuses a request without the status token", async () => {
    const response = await request("/__ringfence/status");
    expect(response.status).toBe(401);
    expect(response.headers.get("content-type")).toBe("application/problem+json");
    const body = await response.json<Record<string, unknown>>();
    expect(body.code).toBe("unauthorized");
    expect(body.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("reports bundle and event counters with the token", async () => {
    const response = await request("/__ringfence/status", {
      headers: { authorization: "Bearer status-token-0123456789" },
    });
    expect(response.status).toBe(200);
    const body = await response.json<{ enforcerId: string; events: { dropped: object } }>();
    expect(body.enforcerId).toBe("edge-worker-test");
    expect(body.events.dropped).toEqual({ rejected: 0, undeliverable: 0, overflow: 0 });
  });

  it("keeps every other /__ringfence path away from the origin", async () => {
    const response = await request("/__ringfence/anything");
    expect(response.status).toBe(404);
  });
});

describe("requests without a client address", () => {
  it("are refused with 400 rather than decided on a guess", async () => {
    const response = await worker.fetch(new Request("https://app.example.test/"));
    expect(response.status).toBe(400);
  });
});
