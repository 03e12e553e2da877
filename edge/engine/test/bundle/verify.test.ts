import { beforeAll, describe, expect, it } from "vitest";
import {
  BundleVerifier,
  fromBase64,
  type SigningKeyPair,
  signBundle,
  toBase64,
  verifyBundle,
} from "../../src/bundle/index.ts";
import { newKey, ORG, payload, signWith, trusted } from "./fixtures.ts";

let key: SigningKeyPair;
let stranger: SigningKeyPair;

beforeAll(async () => {
  key = await newKey();
  stranger = await newKey();
});

const fresh = () => ({ organizationId: ORG, trustedKeys: [trusted(key)], current: null });

describe("signBundle and verifyBundle", () => {
  it("accepts a bundle signed by a trusted key and reports its version and hash", async () => {
    const signed = await signWith(key, payload(1));
    const outcome = await verifyBundle(signed.envelope, fresh());

    expect(outcome).toMatchObject({ ok: true, status: "accepted", hash: signed.hash });
    expect(outcome.ok && outcome.state.current).toEqual({ version: 1, hash: signed.hash });
    expect(outcome.ok && outcome.payload.policy).toEqual(payload(1).policy);
  });

  it("refuses every single altered byte of the payload", async () => {
    const signed = await signWith(key, payload(1));
    const bytes = fromBase64(signed.envelope.payload) ?? new Uint8Array();
    for (let index = 0; index < bytes.length; index++) {
      const altered = bytes.slice();
      altered[index] = (altered[index] ?? 0) ^ 0x01;
      const envelope = { ...signed.envelope, payload: toBase64(altered) };
      const outcome = await verifyBundle(envelope, fresh());
      expect(outcome, `byte ${index}`).toMatchObject({ ok: false, code: "bad-signature" });
    }
  });

  it("refuses an altered or truncated signature", async () => {
    const signed = await signWith(key, payload(1));
    const signature = fromBase64(signed.envelope.signature) ?? new Uint8Array();
    const flipped = signature.slice();
    flipped[10] = (flipped[10] ?? 0) ^ 0x80;
    for (const bad of [flipped, signature.slice(0, 63)]) {
      const envelope = { ...signed.envelope, signature: toBase64(bad) };
      expect(await verifyBundle(envelope, fresh())).toMatchObject({ code: "bad-signature" });
    }
  });

  it("refuses a bundle signed by an unknown key, also when it borrows a trusted key id", async () => {
    const foreign = await signWith(stranger, payload(1));
    expect(await verifyBundle(foreign.envelope, fresh())).toMatchObject({
      ok: false,
      code: "unknown-key",
    });

    const impostor = await signBundle(payload(1), stranger.privateKey, key.keyId);
    expect(await verifyBundle(impostor.envelope, fresh())).toMatchObject({
      ok: false,
      code: "bad-signature",
    });
  });

  it("refuses an older version, and the same version with different content", async () => {
    const verifier = BundleVerifier.create(ORG, [trusted(key)]);
    const v2 = await signWith(key, payload(2));
    expect(await verifier.verify(v2.envelope)).toMatchObject({ ok: true, status: "accepted" });

    const v1 = await signWith(key, payload(1));
    expect(await verifier.verify(v1.envelope)).toMatchObject({ code: "stale-version" });

    const forked = await signWith(key, payload(2, { createdAt: "2026-12-05T00:00:00Z" }));
    expect(await verifier.verify(forked.envelope)).toMatchObject({ code: "version-conflict" });

    expect(await verifier.verify(v2.envelope)).toMatchObject({ ok: true, status: "unchanged" });
    expect(verifier.current).toEqual({ version: 2, hash: v2.hash });
  });

  it("refuses a bundle for another organisation", async () => {
    const signed = await signWith(key, payload(1, { organizationId: "org_other" }));
    expect(await verifyBundle(signed.envelope, fresh())).toMatchObject({
      code: "wrong-organization",
    });
  });

  it("refuses signed bytes that are not canonical JSON", async () => {
    const bytes = new TextEncoder().encode(JSON.stringify(payload(1), null, 2));
    const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", key.privateKey, bytes));
    const envelope = { payload: toBase64(bytes), signature: toBase64(signature), keyId: key.keyId };
    expect(await verifyBundle(envelope, fresh())).toMatchObject({ code: "malformed-payload" });
  });

  it("refuses malformed envelopes and oversize payloads without throwing", async () => {
    for (const envelope of [null, "x", { payload: "a" }, { payload: "!", signature: "AA==" }]) {
      expect(await verifyBundle(envelope, fresh())).toMatchObject({ code: "malformed-envelope" });
    }
    const signed = await signWith(key, payload(1));
    expect(await verifyBundle(signed.envelope, fresh(), { maxPayloadBytes: 64 })).toMatchObject({
      code: "too-large",
    });
  });

  it("refuses to sign a malformed payload", async () => {
    const bad = { ...payload(1), version: 0 };
    await expect(signBundle(bad, key.privateKey, key.keyId)).rejects.toThrow(/malformed/);
  });
});
