import { describe, expect, it } from "vitest";
import { STATUS_AUTH, storefrontPolicy } from "./fixtures.ts";
import { tenant } from "./support.ts";

type Report = { version: number | null; hash?: string; softwareVersion?: string; message?: string };

describe("heartbeat to the control plane", () => {
  it("reports no bundle and why, then the version it enforces once one is published", async () => {
    const edge = tenant("heartbeat");
    expect((await edge.call("/orders")).status).toBe(503);
    const [before] = (await edge.statuses()) as Report[];
    expect(before?.version).toBeNull();
    expect(before?.message).toContain("no bundle verified");

    const published = await edge.publish(storefrontPolicy);
    // The staleness bound of the tests is 2 s: past it the next request polls again.
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    expect((await edge.call("/orders")).status).toBe(200);
    const reports = (await edge.statuses()) as Report[];
    const last = reports.at(-1);
    expect(last).toMatchObject({ version: published.version, hash: published.hash });
    expect(last?.softwareVersion).toMatch(/^\d+\.\d+\.\d+/);
    expect(last?.message).toMatch(/bundle from control-plane, confirmed \d+ s ago/);
    expect(last?.message).toContain("dropped 0 (rejected 0, undeliverable 0, overflow 0)");
  });

  it("does not report again while nothing changed between polls", async () => {
    const edge = tenant("heartbeat-quiet");
    await edge.publish(storefrontPolicy);
    for (let i = 0; i < 5; i++) expect((await edge.call("/orders")).status).toBe(200);
    expect(await edge.statuses(), "one poll, one report").toHaveLength(1);
  });
});

describe("verifier state across isolates", () => {
  it("a fresh isolate refuses a rollback to an older bundle although its cached copy is gone", async () => {
    const first = tenant("rollback");
    const older = await first.publish(storefrontPolicy);
    await first.publish(storefrontPolicy);
    expect((await first.call("/orders")).status).toBe(200);

    // The data centre evicts the cached bundle, and the control plane offers version 1 again.
    const cacheKey = encodeURIComponent("bundle/org-test/edge-rollback");
    await caches.default.delete(`https://ringfence-bundle.internal/${cacheKey}`);
    await first.serve(older);

    // Same enforcer, new bindings object: a runtime of its own, as in a new isolate.
    const fresh = tenant("rollback");
    expect((await fresh.call("/orders")).status).toBe(503);
    const status = await fresh.call("/__ringfence/status", { headers: STATUS_AUTH });
    const body = await status.json<{ bundle: { refusals: number; lastError: string } }>();
    expect(body.bundle.refusals).toBe(1);
    expect(body.bundle.lastError).toContain("stale-version");
  });

  it("an enforcer with no saved state accepts that same version 1", async () => {
    const edge = tenant("rollback-control");
    const older = await edge.publish(storefrontPolicy);
    await edge.publish(storefrontPolicy);
    await edge.serve(older);
    expect((await edge.call("/orders")).status).toBe(200);
  });
});
