import type { z } from "zod";
import { canonicalBytes } from "./canonical.ts";
import { sha256Hex, toBase64 } from "./encoding.ts";
import { signBytes } from "./keys.ts";
import {
  anyPolicySchema,
  type BundleEnvelope,
  type BundlePayload,
  bundlePayloadSchema,
  keyIdSchema,
} from "./schema.ts";

/** A signed bundle: the envelope to deliver plus the hash the control plane stores and serves. */
export interface SignedBundle {
  envelope: BundleEnvelope;
  /** SHA-256 of the exact payload bytes, lowercase hexadecimal; also the HTTP ETag value. */
  hash: string;
  version: number;
}

/**
 * Canonicalises a payload, signs its exact bytes with Ed25519 and wraps them in an envelope.
 * The payload is validated first, so nothing malformed is ever signed; pass the policy engine's
 * schema as `policySchema` to check the policy too.
 */
export async function signBundle<P>(
  payload: BundlePayload<P>,
  privateKey: CryptoKey,
  keyId: string,
  policySchema: z.ZodType<P> = anyPolicySchema as unknown as z.ZodType<P>,
): Promise<SignedBundle> {
  const checked = bundlePayloadSchema(policySchema).safeParse(payload);
  if (!checked.success) {
    throw new TypeError(`refusing to sign a malformed bundle payload: ${checked.error.message}`);
  }
  if (!keyIdSchema.safeParse(keyId).success) {
    throw new TypeError(`refusing to sign with a malformed key id: ${JSON.stringify(keyId)}`);
  }

  // The original object is signed, not zod's copy, so nothing is reordered or dropped silently.
  const bytes = canonicalBytes(payload);
  const signature = await signBytes(privateKey, bytes);
  return {
    envelope: { payload: toBase64(bytes), signature: toBase64(signature), keyId },
    hash: await sha256Hex(bytes),
    version: payload.version,
  };
}
