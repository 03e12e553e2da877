import { fromBase64, generateSigningKeyPair, signBundle, toBase64 } from "@ringfence/engine/bundle";
import { syncBundle } from "@ringfence/engine/control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ControlPlane, publish, registerEnforcer, startControlPlane } from "./harness.ts";

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane();
});
afterAll(async () => plane?.close());

async function rotate() {
  const result = await plane.admin("POST", "/signing-key/rotate", {});
  expect(result.status, JSON.stringify(result.body)).toBe(200);
  return result.json as { keyId: string; handover: { version: number } | null };
}

describe("signing key rotation", () => {
  it("keeps an online enforcer in step: handover signed by the old key, then the new key", async () => {
    const { client, verifier, answer } = await registerEnforcer(plane, "gw-rotate");
    await publish(plane, "before-rotation");
    await syncBundle(client, verifier, { wait: 0 });

    const rotated = await rotate();
    expect(rotated.keyId).not.toBe(answer.trustedKeys[0]?.keyId);
    expect(await syncBundle(client, verifier, { wait: 0 })).toMatchObject({ status: "accepted" });

    const after = await publish(plane, "after-rotation");
    expect(await syncBundle(client, verifier, { wait: 0 })).toMatchObject({ status: "accepted" });
    expect(verifier.current?.version).toBe(after);
    expect(verifier.state.trustedKeys.map((key) => key.keyId)).toContain(rotated.keyId);
  });

  it("serves an enforcer that slept through a rotation the handover first", async () => {
    const { client, verifier } = await registerEnforcer(plane, "gw-asleep");
    await publish(plane, "asleep-1");
    await syncBundle(client, verifier, { wait: 0 });

    const rotated = await rotate();
    const newest = await publish(plane, "asleep-2");
    expect(await syncBundle(client, verifier, { wait: 0 })).toMatchObject({ status: "accepted" });
    expect(verifier.current?.version).toBe(rotated.handover?.version);
    expect(await syncBundle(client, verifier, { wait: 0 })).toMatchObject({ status: "accepted" });
    expect(verifier.current?.version).toBe(newest);
  });
});

describe("refusals on the enforcer side", () => {
  it("refuses a tampered bundle, one re-signed with an unknown key, and an older one", async () => {
    const { client, verifier } = await registerEnforcer(plane, "gw-refuse");
    await publish(plane, "refuse-1");
    const first = await client.pollBundle({ wait: 0 });
    await publish(plane, "refuse-2");
    const second = await client.pollBundle({ wait: 0 });
    if (first.status !== "modified" || second.status !== "modified") {
      throw new Error("expected two bundles");
    }

    const bytes = fromBase64(second.envelope.payload) ?? new Uint8Array();
    bytes[bytes.length - 3] = (bytes[bytes.length - 3] ?? 0) ^ 0x02;
    const tampered = { ...second.envelope, payload: toBase64(bytes) };
    expect(await verifier.verify(tampered)).toMatchObject({ ok: false, code: "bad-signature" });

    const stranger = await generateSigningKeyPair();
    const payload = JSON.parse(atob(second.envelope.payload));
    const forged = await signBundle(
      { ...payload, version: 99 },
      stranger.privateKey,
      stranger.keyId,
    );
    expect(await verifier.verify(forged.envelope)).toMatchObject({
      ok: false,
      code: "unknown-key",
    });

    expect(await verifier.verify(second.envelope)).toMatchObject({ ok: true });
    expect(await verifier.verify(first.envelope)).toMatchObject({
      ok: false,
      code: "stale-version",
    });
  });
});

describe("revocation", () => {
  it("refuses a revoked enforcer, also cutting off a request already parked", async () => {
    const { client, verifier, answer } = await registerEnforcer(plane, "gw-revoked");
    await publish(plane, "revoke");
    await syncBundle(client, verifier, { wait: 0 });

    const parked = client.pollBundle({ etag: verifier.current?.hash, wait: 20 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const revoked = await plane.admin("POST", `/enforcers/${answer.enforcerId}/revoke`, {});
    expect(revoked.json).toMatchObject({ id: answer.enforcerId });

    await expect(parked).rejects.toMatchObject({ status: 401 });
    await expect(client.reportStatus({ version: 1 })).rejects.toMatchObject({ status: 401 });
  });

  // The overlap window and expiry are proven in credentials.test.ts.
  it("stops accepting a credential once a rotation has replaced its successor", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-rotating");
    const fresh = await client.rotateCredential();
    expect(fresh).not.toBe(answer.credential);
    await client.rotateCredential();
    await client.reportStatus({ version: null });

    const { EnforcerClient } = await import("@ringfence/engine/control");
    const stale = new EnforcerClient({
      baseUrl: plane.url,
      allowInsecureLoopback: true,
      credential: answer.credential,
    });
    await expect(stale.reportStatus({ version: null })).rejects.toMatchObject({ status: 401 });
  });
});

describe("proxy-mode CA", () => {
  it("gives gateways the CA key and workers nothing", async () => {
    const gateway = await registerEnforcer(plane, "gw-ca");
    const ca = await gateway.client.fetchProxyCa();
    expect(ca.certPem).toContain("BEGIN CERTIFICATE");
    expect(ca.keyPem).toContain("BEGIN PRIVATE KEY");

    const published = await plane.admin("GET", "/ca-certificate");
    expect(published.json.certificatePem).toBe(ca.certPem);

    const worker = await registerEnforcer(plane, "wk-ca", "worker");
    await expect(worker.client.fetchProxyCa()).rejects.toMatchObject({ status: 403 });
  });
});
