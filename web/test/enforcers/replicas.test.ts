import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { awaitBundle } from "../../src/server/services/bundles/deliver.ts";
import { BundleNotifier } from "../../src/server/services/bundles/notifier.ts";
import { type ControlPlane, publish, registerEnforcer, startControlPlane } from "./harness.ts";

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({ recheckMs: 250 });
});
afterAll(async () => plane?.close());

describe("parked bundle requests across replicas", () => {
  it("reach a publish made elsewhere through the database re-check alone", async () => {
    const { answer } = await registerEnforcer(plane, "gw-replica");
    const held = await publish(plane, "replica-1");
    const [current] = (await plane.admin("GET", "/bundles")).json.items as {
      hash: string;
      version: number;
    }[];
    expect(current?.version).toBe(held);

    // This request parks on "another replica": its notifier never hears of the publish below.
    const otherReplica = { ...plane.runtime, notifier: new BundleNotifier() };
    const ctx = {
      db: plane.server.database.db,
      requestId: "replica-test",
      config: plane.server.config,
      enforcement: otherReplica,
      enforcer: {
        id: answer.enforcerId,
        organizationId: answer.organizationId,
        name: answer.name,
        kind: answer.kind,
      },
    };
    const parked = awaitBundle({ ctx, input: { heldHash: current?.hash, waitSeconds: 20 } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(otherReplica.notifier.parked).toBe(1);

    const next = await publish(plane, "replica-2");
    const delivery = await parked;
    expect(delivery.status === "bundle" && delivery.bundle.version).toBe(next);
  });
});
