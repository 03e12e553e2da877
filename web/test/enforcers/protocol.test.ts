import { EnforcerClient, syncBundle } from "@ringfence/engine/control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ControlPlane,
  publish,
  registerEnforcer,
  registrationToken,
  startControlPlane,
} from "./harness.ts";

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane();
});
afterAll(async () => plane?.close());

describe("registration", () => {
  it("exchanges a one-time token for a credential and the organisation's signing key", async () => {
    const token = await registrationToken(plane, "gw-eu-1");
    const client = new EnforcerClient({ baseUrl: plane.url, allowInsecureLoopback: true });
    const answer = await client.register(token, { kind: "gateway", softwareVersion: "1.0.0" });

    expect(answer).toMatchObject({ organizationId: plane.orgId, name: "gw-eu-1", kind: "gateway" });
    expect(answer.credential).toMatch(/^rfe_/);
    expect(answer.trustedKeys).toHaveLength(1);

    const again = new EnforcerClient({ baseUrl: plane.url, allowInsecureLoopback: true });
    await expect(again.register(token, { kind: "gateway" })).rejects.toMatchObject({
      status: 401,
      code: "unauthenticated",
    });
  });

  it("lists the enforcer with the version it reports", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-status");
    const version = await publish(plane, "status");
    await client.reportStatus({ version, softwareVersion: "1.2.3" });

    const listed = await plane.admin("GET", "/enforcers");
    const items = listed.json.items as { id: string; bundleVersion: number; drift: boolean }[];
    const mine = items.find((item) => item.id === answer.enforcerId);
    expect(mine).toMatchObject({ bundleVersion: version, drift: false, softwareVersion: "1.2.3" });
  });
});

describe("bundle delivery", () => {
  it("delivers the current bundle, then the next one inside a parked long-poll", async () => {
    const { client, verifier } = await registerEnforcer(plane, "gw-poll");
    const first = await publish(plane, "poll-1");
    expect(await syncBundle(client, verifier, { wait: 0 })).toMatchObject({ status: "accepted" });
    expect(verifier.current?.version).toBe(first);

    const parked = syncBundle(client, verifier, { wait: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const second = await publish(plane, "poll-2");

    expect(await parked).toMatchObject({ status: "accepted" });
    expect(verifier.current?.version).toBe(second);
  });

  it("answers 304 with the same ETag when nothing newer is published", async () => {
    const { client, verifier } = await registerEnforcer(plane, "gw-idle");
    await publish(plane, "idle");
    await syncBundle(client, verifier, { wait: 0 });

    const poll = await client.pollBundle({ etag: verifier.current?.hash, wait: 1 });
    expect(poll).toEqual({ status: "not-modified" });
  });

  it("rolls back by republishing old content as a newer version", async () => {
    const { client, verifier } = await registerEnforcer(plane, "gw-rollback");
    const old = await publish(plane, "rollback-old");
    await publish(plane, "rollback-new");
    const rolled = await plane.admin("POST", `/bundles/${old}/rollback`, {});
    expect(rolled.json).toMatchObject({ rollbackOf: old });

    const outcome = await syncBundle(client, verifier, { wait: 0 });
    expect(outcome).toMatchObject({ status: "accepted" });
    const rules = outcome.status === "accepted" ? JSON.stringify(outcome.payload.policy) : "";
    expect(rules).toContain("deny-metadata-rollback-old");
    expect(verifier.current?.version).toBe(rolled.json.version);
  });
});
