import { describe, expect, it } from "vitest";
import { BundleVerifier, signBundle } from "../../src/bundle/index.ts";
import { ControlPlaneError, EnforcerClient, syncBundle } from "../../src/control/index.ts";
import { newKey, ORG, payload, trusted } from "../bundle/fixtures.ts";
import { makeEvent, type Reply, recordingSleep, scriptedControlPlane } from "./fixtures.ts";

const BASE = "https://control.ringfence.test/";

function clientFor(replies: Reply[], credential: string | null = "rfe_cred") {
  const plane = scriptedControlPlane(replies);
  const { waits, sleep } = recordingSleep();
  const client = new EnforcerClient({
    baseUrl: BASE,
    credential: credential ?? undefined,
    fetch: plane.handler,
    retry: { sleep },
  });
  return { client, requests: plane.requests, waits };
}

const receipt = { status: 200, body: { accepted: 1, duplicates: 0 } };

describe("EnforcerClient registration", () => {
  it("sends the token as a bearer and keeps the credential it receives", async () => {
    const key = await newKey();
    const answer = {
      enforcerId: "enf_1",
      organizationId: ORG,
      name: "gw-eu-1",
      kind: "gateway",
      credential: "rfe_secret",
      trustedKeys: [trusted(key)],
    };
    const { client, requests } = clientFor([{ status: 201, body: answer }, receipt], null);

    expect(await client.register("rfr_token", { kind: "gateway" })).toEqual(answer);
    await client.postEvents([makeEvent()]);

    expect(requests[0]?.path).toBe("/api/v1/enforcers/register");
    expect(requests[0]?.headers.get("authorization")).toBe("Bearer rfr_token");
    expect(JSON.parse(requests[0]?.body ?? "")).toEqual({ kind: "gateway" });
    expect(requests[1]?.headers.get("authorization")).toBe("Bearer rfe_secret");
  });

  it("reports a refused token with the control plane's code and detail", async () => {
    const problem = { code: "unauthenticated", detail: "the token has expired", requestId: "r1" };
    const { client } = clientFor([{ status: 401, body: problem }], null);
    const failure = await client.register("rfr_old", { kind: "worker" }).catch((e: unknown) => e);

    expect(failure).toBeInstanceOf(ControlPlaneError);
    expect(failure).toMatchObject({ status: 401, code: "unauthenticated", requestId: "r1" });
    expect(String(failure)).toContain("the token has expired");
    expect(client.registered).toBe(false);
  });

  it("refuses to call authenticated endpoints before registration", async () => {
    const { client, requests } = clientFor([], null);
    await expect(client.pollBundle()).rejects.toMatchObject({ code: "not-registered" });
    expect(requests).toHaveLength(0);
  });
});

describe("EnforcerClient bundle polling", () => {
  it("sends If-None-Match and wait, and returns the envelope with its ETag", async () => {
    const key = await newKey();
    const signed = await signBundle(payload(4), key.privateKey, key.keyId);
    const { client, requests } = clientFor([
      { status: 304 },
      {
        status: 200,
        body: signed.envelope,
        headers: { etag: `"${signed.hash}"`, "x-ringfence-bundle-version": "4" },
      },
    ]);

    expect(await client.pollBundle({ etag: "a".repeat(64), wait: 25 })).toEqual({
      status: "not-modified",
    });
    expect(await client.pollBundle({ wait: 0 })).toEqual({
      status: "modified",
      envelope: signed.envelope,
      etag: signed.hash,
      version: 4,
    });
    expect(requests[0]?.path).toBe("/api/v1/enforcer/bundle?wait=25");
    expect(requests[0]?.headers.get("if-none-match")).toBe(`"${"a".repeat(64)}"`);
    expect(requests[1]?.headers.get("if-none-match")).toBeNull();
  });

  it("clamps the wait to the contract's maximum", async () => {
    const { client, requests } = clientFor([{ status: 304 }]);
    await client.pollBundle({ wait: 3600 });
    expect(requests[0]?.path).toBe("/api/v1/enforcer/bundle?wait=60");
  });

  it("syncs through a verifier and reports a tampered bundle as refused", async () => {
    const key = await newKey();
    const signed = await signBundle(payload(1), key.privateKey, key.keyId);
    const tampered = {
      ...signed.envelope,
      // A different first character: replacing it with a fixed one left one signature in 64
      // unchanged, and the test then saw it accepted.
      signature: signed.envelope.signature.replace(/^./, (c) => (c === "A" ? "B" : "A")),
    };
    const etag = { etag: `"${signed.hash}"` };
    const { client } = clientFor([
      { status: 200, body: tampered, headers: etag },
      { status: 200, body: signed.envelope, headers: etag },
    ]);
    const verifier = BundleVerifier.create(ORG, [trusted(key)]);

    expect(await syncBundle(client, verifier)).toMatchObject({ status: "refused" });
    expect(await syncBundle(client, verifier)).toMatchObject({ status: "accepted" });
    expect(verifier.current).toEqual({ version: 1, hash: signed.hash });
  });
});

describe("EnforcerClient event upload", () => {
  it("retries 429 and 5xx, waiting as long as Retry-After asks", async () => {
    const { client, requests, waits } = clientFor([
      { status: 429, headers: { "retry-after": "2" } },
      { status: 503, headers: { "retry-after": "1" } },
      receipt,
    ]);
    expect(await client.postEvents([makeEvent()])).toEqual({ accepted: 1, duplicates: 0 });
    expect(waits).toEqual([2000, 1000]);
    expect(requests.map((request) => request.body)).toEqual(Array(3).fill(requests[0]?.body));
  });

  it("backs off exponentially without Retry-After and gives up after the bound", async () => {
    const { client, requests, waits } = clientFor(Array(6).fill({ status: 502 }));
    await expect(client.postEvents([makeEvent()])).rejects.toMatchObject({ status: 502 });
    expect(requests).toHaveLength(5);
    expect(waits).toHaveLength(4);
    waits.forEach((wait, index) => {
      expect(wait).toBeLessThanOrEqual(250 * 2 ** index);
    });
  });

  it("gives up at once when Retry-After exceeds the longest wait, so the caller spools", async () => {
    const { client, requests } = clientFor([{ status: 429, headers: { "retry-after": "3600" } }]);
    await expect(client.postEvents([makeEvent()])).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 3_600_000,
    });
    expect(requests).toHaveLength(1);
  });

  it("does not retry a refused batch", async () => {
    const problem = { code: "batch-too-large", detail: "at most 1000 events per batch" };
    const { client, requests } = clientFor([{ status: 422, body: problem }]);
    await expect(client.postEvents([makeEvent()])).rejects.toMatchObject({
      status: 422,
      code: "batch-too-large",
      retryable: false,
    });
    expect(requests).toHaveLength(1);
  });

  it("refuses an answer that does not follow the contract", async () => {
    const { client } = clientFor([{ status: 200, body: { ok: true } }]);
    await expect(client.postEvents([makeEvent()])).rejects.toMatchObject({ code: "bad-body" });
  });
});
