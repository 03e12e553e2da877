import { events } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { EnforcerClient, MAX_EVENTS_PER_BATCH } from "@ringfence/engine/control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, registerEnforcer, startControlPlane } from "./harness.ts";
import { makeEvent } from "./scripted.ts";

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ maxInFlightBatches: 1 });
});
afterAll(async () => plane?.close());

async function storedFor(enforcerId: string) {
  return plane.server.database.db.select().from(events).where(eq(events.enforcerId, enforcerId));
}

function eventsOf(enforcerId: string, count: number) {
  return Array.from({ length: count }, () =>
    makeEvent({ enforcer: { id: enforcerId, kind: "gateway" } }),
  );
}

describe("event ingestion", () => {
  it("stores each event id once however often a batch is resent", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-events");
    const batch = eventsOf(answer.enforcerId, 3);

    expect(await client.postEvents(batch)).toEqual({ accepted: 3, duplicates: 0 });
    const resent = [...batch, ...eventsOf(answer.enforcerId, 1)];
    expect(await client.postEvents(resent)).toEqual({ accepted: 1, duplicates: 3 });

    const rows = await storedFor(answer.enforcerId);
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ organizationId: plane.orgId, action: "deny", dstPort: 80 });
  });

  it("refuses a batch with too many events with 413 and a clear message, without retrying", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-oversize");
    const failure = await client
      .postEvents(eventsOf(answer.enforcerId, MAX_EVENTS_PER_BATCH + 1))
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 413, code: "payload_too_large", retryable: false });
    expect(String(failure)).toContain(`at most ${MAX_EVENTS_PER_BATCH} events`);
    expect(await storedFor(answer.enforcerId)).toHaveLength(0);
  });

  it("refuses invalid events and events claiming another enforcer, naming the field", async () => {
    const { client } = await registerEnforcer(plane, "gw-liar");
    const foreign = eventsOf("enf_someone_else", 1);
    await expect(client.postEvents(foreign)).rejects.toMatchObject({
      status: 400,
      code: "invalid_request",
    });

    const response = await fetch(new URL("api/v1/enforcer/events", plane.url), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${await credentialOf("gw-raw")}`,
      },
      body: JSON.stringify({ events: [{ ...makeEvent(), src: { ip: "not-an-ip" } }] }),
    });
    const problem = (await response.json()) as { errors: { path: string }[] };
    expect(response.status).toBe(400);
    expect(problem.errors.map((error) => error.path)).toContain("events[0].src.ip");
  });

  it("answers 429 with Retry-After under pressure and loses nothing once the client retries", async () => {
    const { answer } = await registerEnforcer(plane, "gw-pressure");
    const busy = plane.runtime.ingestGate.tryEnter(1);
    const waits: number[] = [];
    const client = new EnforcerClient({
      baseUrl: plane.url,
      allowInsecureLoopback: true,
      credential: answer.credential,
      retry: {
        // The other writer finishes while this client waits as it was told to.
        sleep: async (ms) => {
          waits.push(ms);
          busy?.();
        },
      },
    });

    const batch = eventsOf(answer.enforcerId, 5);
    expect(await client.postEvents(batch)).toEqual({ accepted: 5, duplicates: 0 });
    expect(waits).toEqual([1000]);
    expect(await storedFor(answer.enforcerId)).toHaveLength(5);
  });
});

async function credentialOf(name: string): Promise<string> {
  return (await registerEnforcer(plane, name)).answer.credential;
}
