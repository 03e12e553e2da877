import { describe, expect, it } from "vitest";
import { EventOutbox, type SendResult } from "../src/events/outbox.ts";
import { STATUS_AUTH, storefrontPolicy } from "./fixtures.ts";
import { tenant } from "./support.ts";

interface Status {
  events: { sent: number; retries: number; dropped: Record<string, number> };
}

describe("decision events", () => {
  it("reach the control plane after the response, one per request, in the shared schema", async () => {
    const edge = tenant("events");
    await edge.publish(storefrontPolicy);
    const allowed = await edge.call("/orders");
    const denied = await edge.call("/orders", { clientIp: "192.0.2.50" });

    const events = await edge.events();
    expect(events.map((e) => [e.id, e.action])).toEqual([
      [allowed.headers.get("x-request-id"), "allow"],
      [denied.headers.get("x-request-id"), "deny"],
    ]);
    expect(events[0]).toMatchObject({
      schemaVersion: 1,
      enforcer: { id: "edge-events", kind: "worker" },
      src: { ip: "203.0.113.7" },
      dst: { host: "app.example.test", port: 443 },
      reasons: { ruleId: "office-inspected", sourceObjects: ["office"], mode: "proxy" },
    });
  });

  it("are retried when the control plane answers 5xx, and delivered", async () => {
    const edge = tenant("retry");
    await edge.publish(storefrontPolicy);
    await edge.failNextEvents(2);
    await edge.call("/orders");

    expect(await edge.events()).toHaveLength(1);
    const status = await (
      await edge.call("/__ringfence/status", { headers: STATUS_AUTH })
    ).json<Status>();
    expect(status.events.sent).toBeGreaterThanOrEqual(1);
    expect(status.events.dropped).toEqual({ rejected: 0, undeliverable: 0, overflow: 0 });
  });

  it("that cannot be delivered are counted on the status endpoint, not lost silently", async () => {
    const edge = tenant("undeliverable");
    await edge.publish(storefrontPolicy);
    await edge.failNextEvents(100);
    await edge.call("/orders");

    expect(await edge.events()).toHaveLength(0);
    const status = await (
      await edge.call("/__ringfence/status", { headers: STATUS_AUTH })
    ).json<Status>();
    expect(status.events.dropped.undeliverable).toBe(1);
  });
});

describe("the event outbox", () => {
  it("sends what arrives while a flush runs in the same flush, in batches of the set size", async () => {
    const batches: number[][] = [];
    const outbox = new EventOutbox<number>(
      async (batch) => {
        batches.push([...batch]);
        return { ok: true };
      },
      { batchSize: 3, lingerMs: 5 },
    );
    for (let n = 1; n <= 4; n++) outbox.add(n);
    const flushing = outbox.flush();
    outbox.add(5);
    expect(outbox.flush()).toBe(flushing);
    await flushing;
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(outbox.stats()).toMatchObject({ sent: 5, batchesSent: 2, queued: 0 });
  });

  it("counts overflow and rejected batches by reason", async () => {
    const results: SendResult[] = [{ ok: false, retryable: false, detail: "422" }];
    const outbox = new EventOutbox<number>(async () => results.shift() ?? { ok: true }, {
      batchSize: 10,
      lingerMs: 0,
      maxQueued: 2,
    });
    expect([outbox.add(1), outbox.add(2), outbox.add(3)]).toEqual([true, true, false]);
    await outbox.flush();
    expect(outbox.stats().dropped).toEqual({ rejected: 2, undeliverable: 0, overflow: 1 });
    expect(outbox.stats().lastError).toBe("422");
  });

  it("retries retryable failures with backoff inside its budget, then gives up and counts", async () => {
    const waits: number[] = [];
    const outbox = new EventOutbox<number>(
      async () => ({ ok: false, retryable: true, detail: "503" }),
      {
        batchSize: 10,
        lingerMs: 0,
        maxAttempts: 3,
        retryDelayMs: 10,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    outbox.add(1);
    await outbox.flush();
    expect(waits).toEqual([10, 20]);
    expect(outbox.stats()).toMatchObject({ retries: 2, dropped: { undeliverable: 1 } });
  });
});
