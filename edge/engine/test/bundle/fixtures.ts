import {
  type BundlePayload,
  generateSigningKeyPair,
  type SigningKeyPair,
  signBundle,
} from "../../src/bundle/index.ts";

export const ORG = "org_test";

/** A small but realistic payload; the policy's shape is the policy engine's business. */
export function payload(version: number, overrides: Partial<BundlePayload> = {}): BundlePayload {
  return {
    format: 1,
    organizationId: ORG,
    version,
    createdAt: "2026-12-04T12:00:00.000Z",
    policy: { rules: [{ id: "r1", action: "allow", destination: "bucket.internal" }] },
    keys: {},
    ...overrides,
  };
}

export async function signWith(key: SigningKeyPair, body: BundlePayload) {
  return signBundle(body, key.privateKey, key.keyId);
}

export async function newKey(): Promise<SigningKeyPair> {
  return generateSigningKeyPair();
}

export function trusted(key: SigningKeyPair) {
  return { keyId: key.keyId, publicKey: key.publicKey };
}
