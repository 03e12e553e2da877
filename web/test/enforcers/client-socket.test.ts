import { EnforcerClient } from "@ringfence/engine/control";
import { afterEach, describe, expect, it } from "vitest";
import { serveOnLoopback } from "./loopback.ts";
import { makeEvent, type Reply, recordingSleep, scriptedControlPlane } from "./scripted.ts";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function clientOverLoopback(replies: Reply[], timeoutMs = 5000) {
  const plane = scriptedControlPlane(replies);
  const served = await serveOnLoopback(plane.handler);
  closers.push(served.close);
  const { waits, sleep } = recordingSleep();
  const client = new EnforcerClient({
    baseUrl: served.url,
    allowInsecureLoopback: true,
    credential: "rfe_cred",
    timeoutMs,
    retry: { sleep },
  });
  return { client, requests: plane.requests, waits, served };
}

describe("EnforcerClient over a real loopback socket", () => {
  it("waits for a parked bundle request to be answered", async () => {
    const { client } = await clientOverLoopback([{ status: 304, delayMs: 300 }]);
    const started = performance.now();
    expect(await client.pollBundle({ etag: "b".repeat(64), wait: 1 })).toEqual({
      status: "not-modified",
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
  });

  it("retries an overloaded control plane until the batch is stored", async () => {
    const { client, requests, waits } = await clientOverLoopback([
      { status: 429, headers: { "retry-after": "1" }, body: { code: "overloaded" } },
      { status: 200, body: { accepted: 2, duplicates: 0 } },
    ]);
    const batch = [makeEvent(), makeEvent()];
    expect(await client.postEvents(batch)).toEqual({ accepted: 2, duplicates: 0 });
    expect(waits).toEqual([1000]);
    expect(JSON.parse(requests[1]?.body ?? "")).toEqual({ events: batch });
  });

  it("reports a control plane that does not answer in time as a retryable timeout", async () => {
    const { client } = await clientOverLoopback([{ status: 200, delayMs: 2000 }], 200);
    await expect(client.reportStatus({ version: 3 })).rejects.toMatchObject({
      status: 0,
      code: "timeout",
      retryable: true,
    });
  });

  it("retries when nothing listens, then reports the control plane as unreachable", async () => {
    const { client, served, waits } = await clientOverLoopback([]);
    await served.close();
    await expect(client.postEvents([makeEvent()])).rejects.toMatchObject({
      status: 0,
      code: "unreachable",
    });
    expect(waits).toHaveLength(4);
  });
});
