import { describe, expect, it } from "vitest";
import { BundleVerifier } from "../../src/bundle/index.ts";
import { newKey, ORG, payload, signWith, trusted } from "./fixtures.ts";

const announce = (
  key: { keyId: string; publicKey: string },
  notBefore = "2026-01-01T00:00:00Z",
) => ({
  keyId: key.keyId,
  publicKey: key.publicKey,
  notBefore,
});

describe("key rotation", () => {
  it("trusts a key announced by a trusted key, and refuses it until then", async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const verifier = BundleVerifier.create(ORG, [trusted(oldKey)]);

    const early = await signWith(newer, payload(2));
    expect(await verifier.verify(early.envelope)).toMatchObject({ code: "unknown-key" });

    const handover = await signWith(oldKey, payload(2, { keys: { announce: [announce(newer)] } }));
    expect(await verifier.verify(handover.envelope)).toMatchObject({ status: "accepted" });

    const after = await signWith(newer, payload(3));
    expect(await verifier.verify(after.envelope)).toMatchObject({ status: "accepted" });
    expect(verifier.state.trustedKeys.map((key) => key.keyId)).toEqual([oldKey.keyId, newer.keyId]);
  });

  it("stops trusting a retired key", async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const verifier = BundleVerifier.create(ORG, [trusted(oldKey)]);
    await verifier.verify(
      (await signWith(oldKey, payload(2, { keys: { announce: [announce(newer)] } }))).envelope,
    );

    const retiring = await signWith(newer, payload(3, { keys: { retire: [oldKey.keyId] } }));
    expect(await verifier.verify(retiring.envelope)).toMatchObject({ status: "accepted" });

    const late = await signWith(oldKey, payload(4));
    expect(await verifier.verify(late.envelope)).toMatchObject({ code: "unknown-key" });
  });

  it("refuses a bundle that retires its own signing key or re-announces a key id", async () => {
    const key = await newKey();
    const other = await newKey();
    const verifier = BundleVerifier.create(ORG, [trusted(key)]);

    const suicide = await signWith(key, payload(2, { keys: { retire: [key.keyId] } }));
    expect(await verifier.verify(suicide.envelope)).toMatchObject({ code: "bad-key-change" });

    const swap = {
      keyId: key.keyId,
      publicKey: other.publicKey,
      notBefore: "2026-01-01T00:00:00Z",
    };
    const hijack = await signWith(key, payload(2, { keys: { announce: [swap] } }));
    expect(await verifier.verify(hijack.envelope)).toMatchObject({ code: "bad-key-change" });
    expect(verifier.current).toBeNull();
  });

  it("does not use an announced key before its notBefore", async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const now = () => new Date("2026-06-01T00:00:00Z");
    const verifier = BundleVerifier.create(ORG, [trusted(oldKey)], { now });
    const later = announce(newer, "2026-07-01T00:00:00Z");
    await verifier.verify(
      (await signWith(oldKey, payload(2, { keys: { announce: [later] } }))).envelope,
    );

    const tooSoon = await signWith(newer, payload(3));
    expect(await verifier.verify(tooSoon.envelope)).toMatchObject({ code: "key-not-yet-valid" });
  });
});

describe("verifier state", () => {
  it("survives a JSON round trip and keeps refusing what it refused before", async () => {
    const oldKey = await newKey();
    const newer = await newKey();
    const verifier = BundleVerifier.create(ORG, [trusted(oldKey)]);
    const v2 = await signWith(oldKey, payload(2, { keys: { announce: [announce(newer)] } }));
    await verifier.verify(v2.envelope);

    const restored = BundleVerifier.restore(JSON.parse(JSON.stringify(verifier)));
    expect(restored.current).toEqual({ version: 2, hash: v2.hash });

    const stale = await signWith(newer, payload(1));
    expect(await restored.verify(stale.envelope)).toMatchObject({ code: "stale-version" });
    const next = await signWith(newer, payload(3));
    expect(await restored.verify(next.envelope)).toMatchObject({ status: "accepted" });
  });

  it("refuses to restore a malformed state and says what is wrong", () => {
    expect(() => BundleVerifier.restore({ organizationId: ORG, trustedKeys: [] })).toThrow(
      /verifier state is malformed/,
    );
    expect(() =>
      BundleVerifier.restore({
        organizationId: ORG,
        trustedKeys: [{ keyId: "k", publicKey: "AAAA" }],
        current: null,
      }),
    ).toThrow(/32 bytes/);
  });
});
