import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Env } from "../src/env.ts";
import { STATUS_AUTH, storefrontPolicy } from "./fixtures.ts";
import { tenant } from "./support.ts";

const DEAD_CONTROL_PLANE = "http://127.0.0.1:9/";

interface Status {
  bundle: {
    version: number | null;
    source: string | null;
    stale: boolean;
    ageSeconds: number | null;
  };
}

async function status(edge: ReturnType<typeof tenant>): Promise<Status> {
  return (await edge.call("/__ringfence/status", { headers: STATUS_AUTH })).json<Status>();
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("bundle freshness", () => {
  it("picks up a newly published version within the staleness bound", async () => {
    const edge = tenant("fresh", { BUNDLE_MAX_STALENESS_SECONDS: "1" });
    await edge.publish(storefrontPolicy);
    expect((await edge.call("/")).status).toBe(200);

    // The new version denies everything: the same request must flip once it is fetched.
    const denyAll = {
      ...storefrontPolicy,
      ruleSets: [{ id: "edge", defaultAction: "deny", rules: [] }],
    };
    await edge.publish(denyAll);
    await sleep(1100);
    expect((await edge.call("/")).status).toBe(403);
    expect((await status(edge)).bundle.version).toBe(2);
  });

  it("polls with If-None-Match and keeps the bundle when nothing changed", async () => {
    const edge = tenant("unchanged", { BUNDLE_MAX_STALENESS_SECONDS: "1" });
    await edge.publish(storefrontPolicy);
    const firstConfirmed = Date.now();
    await edge.call("/");
    await sleep(1100);
    await edge.call("/");
    expect(await edge.bundlePolls()).toBe(2);
    // The 304 renewed the confirmation: its age counts from the second poll, which came at least
    // 1.1 s after the first (compared in whole seconds, so a slow machine cannot fail it).
    const { bundle } = await status(edge);
    expect(bundle.version).toBe(1);
    expect(bundle.ageSeconds).toBeLessThan(Math.floor((Date.now() - firstConfirmed) / 1000));
  });
});

describe("bundle sources other than the control plane", () => {
  it("restores the last verified bundle from the Cache API when the control plane is down", async () => {
    const first = tenant("cache");
    await first.publish(storefrontPolicy);
    expect((await first.call("/")).status).toBe(200);

    // A new isolate of the same worker: empty memory, control plane unreachable.
    const later = tenant("cache", { CONTROL_PLANE_URL: DEAD_CONTROL_PLANE });
    expect((await later.call("/")).status).toBe(200);
    expect((await status(later)).bundle.source).toBe("cache");
  });

  it("shares a 304's confirmation with new isolates without rewriting the cached envelope", async () => {
    const first = tenant("confirm", { BUNDLE_MAX_STALENESS_SECONDS: "1" });
    await first.publish(storefrontPolicy);
    await first.call("/");
    const url = `https://ringfence-bundle.internal/${encodeURIComponent("bundle/org-test/edge-confirm")}`;
    const written = (await caches.default.match(url))?.headers.get("ringfence-confirmed-at");
    await sleep(1100);
    await first.call("/");
    expect(await first.bundlePolls(), "the second poll was answered 304").toBe(2);
    const kept = (await caches.default.match(url))?.headers.get("ringfence-confirmed-at");
    expect(kept, "the envelope entry was not written again").toBe(written);

    // A new isolate that cannot reach the control plane still knows when the bundle was last
    // confirmed: its age counts from the 304, not from the envelope written before the sleep.
    // (The bound is generous so a loaded machine cannot make it stale; the age proves the point:
    // the 304 came at least 1.1 s after the envelope, so its whole-second age is strictly less.)
    const later = tenant("confirm", {
      BUNDLE_MAX_STALENESS_SECONDS: "3600",
      CONTROL_PLANE_URL: DEAD_CONTROL_PLANE,
    });
    expect((await later.call("/")).status).toBe(200);
    const { bundle } = await status(later);
    const envelopeAgeSeconds = Math.floor((Date.now() - Number(written)) / 1000);
    expect(bundle).toMatchObject({ source: "cache", stale: false });
    expect(bundle.ageSeconds).toBeLessThan(envelopeAgeSeconds);
  });

  it("reads the envelope the control plane wrote to KV", async () => {
    const writer = tenant("kv");
    const { envelope } = (await writer.publish(storefrontPolicy)) as { envelope: unknown };
    await (env as Env).BUNDLES?.put("bundle/org-test", JSON.stringify(envelope));

    const edge = tenant("kv-reader", { CONTROL_PLANE_URL: DEAD_CONTROL_PLANE });
    expect((await edge.call("/")).status).toBe(200);
    expect((await status(edge)).bundle.source).toBe("kv");
  });

  it("refuses a tampered envelope from KV and stays closed", async () => {
    const writer = tenant("kv-bad");
    const { envelope } = (await writer.publish(storefrontPolicy)) as {
      envelope: { payload: string; signature: string; keyId: string };
    };
    const payload = JSON.parse(atob(envelope.payload)) as { policy: { ruleSets: unknown[] } };
    payload.policy.ruleSets = [{ id: "edge", defaultAction: "allow", rules: [] }];
    const forged = { ...envelope, payload: btoa(JSON.stringify(payload)) };
    await (env as Env).BUNDLES?.put("bundle/org-test", JSON.stringify(forged));

    const edge = tenant("kv-bad-reader", { CONTROL_PLANE_URL: DEAD_CONTROL_PLANE });
    expect((await edge.call("/")).status).toBe(503);
  });
});
