import { describe, expect, inject, it } from "vitest";
import {
  createMemoryReplayCache,
  createOriginVerifier,
  importOriginKey,
  ORIGIN_SIGNATURE_HEADER,
  signOriginRequest,
} from "../src/origin/index.ts";

const SECRET = "a-shared-origin-secret-of-32-chars!";
const parts = {
  method: "POST",
  host: "api.example.test",
  path: "/prod/orders?id=7",
  timestamp: 1_800_000_000,
  requestId: "5b0c1f7e-8d1c-4a52-9a57-0b0a1b2c3d4e",
};

async function signed(overrides: Partial<typeof parts> = {}) {
  const key = await importOriginKey(SECRET);
  return await signOriginRequest(key, { ...parts, ...overrides });
}

function verifierAt(now: number, replay = false) {
  return createOriginVerifier({
    secrets: [SECRET],
    now: () => now,
    ...(replay ? { replayCache: createMemoryReplayCache(() => now) } : {}),
  });
}

describe("origin signature helper", () => {
  it("accepts a request signed by the worker within the window", async () => {
    const verify = verifierAt(parts.timestamp + 5);
    const verdict = await verify({ ...parts, signature: await signed() });
    expect(verdict).toEqual({ ok: true, requestId: parts.requestId, timestamp: parts.timestamp });
  });

  it("rejects a request that did not come through the worker (no header)", async () => {
    const verdict = await verifierAt(parts.timestamp)({ ...parts, signature: null });
    expect(verdict).toMatchObject({ ok: false, reason: "missing-signature" });
  });

  it("rejects a signature replayed outside the window, either side", async () => {
    const signature = await signed();
    const late = await verifierAt(parts.timestamp + 61)({ ...parts, signature });
    const early = await verifierAt(parts.timestamp - 61)({ ...parts, signature });
    expect(late).toMatchObject({ ok: false, reason: "expired" });
    expect(early).toMatchObject({ ok: false, reason: "expired" });
  });

  it("rejects a replay inside the window when a replay cache is used", async () => {
    const verify = verifierAt(parts.timestamp + 1, true);
    const signature = await signed();
    expect((await verify({ ...parts, signature })).ok).toBe(true);
    expect(await verify({ ...parts, signature })).toMatchObject({ ok: false, reason: "replayed" });
  });

  it("rejects a signature moved to another method, host or path", async () => {
    const signature = await signed();
    const verify = verifierAt(parts.timestamp);
    for (const change of [{ method: "DELETE" }, { host: "evil.test" }, { path: "/prod/admin" }]) {
      const verdict = await verify({ ...parts, ...change, signature });
      expect(verdict, JSON.stringify(change)).toMatchObject({ ok: false, reason: "bad-signature" });
    }
  });

  it("rejects a signature made with another secret and malformed headers", async () => {
    const other = await signOriginRequest(await importOriginKey("x".repeat(40)), parts);
    const verify = verifierAt(parts.timestamp);
    expect(await verify({ ...parts, signature: other })).toMatchObject({ reason: "bad-signature" });
    for (const bad of ["v1;t=1;rid=a;sig=zz", "v2;garbage", (await signed()).replace("v1", "v0")]) {
      expect(await verify({ ...parts, signature: bad })).toMatchObject({
        reason: "malformed-signature",
      });
    }
  });

  it("refuses to sign parts that could be confused with others", async () => {
    await expect(signed({ path: "/a\nb" })).rejects.toThrow(/path/);
    await expect(signed({ requestId: "id with space" })).rejects.toThrow(/request id/);
  });
});

describe("origin reached directly", () => {
  it("is refused by an origin that uses the helper", async () => {
    const response = await fetch(`${inject("originUrl")}/orders`);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ refused: "missing-signature" });
  });

  it("is refused when the client forges the header", async () => {
    const response = await fetch(`${inject("originUrl")}/orders`, {
      headers: { [ORIGIN_SIGNATURE_HEADER]: await signed() },
    });
    expect(response.status).toBe(401);
  });
});
