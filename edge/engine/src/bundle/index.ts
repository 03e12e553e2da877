/**
 * Signed policy bundles: canonical JSON (RFC 8785), SHA-256 content hashes, Ed25519 signatures
 * through Web Crypto, and the verifier every enforcer runs before enforcing anything.
 */
export { CanonicalJsonError, canonicalBytes, canonicalize, parseCanonical } from "./canonical.ts";
export { bytesEqual, fromBase64, sha256Hex, toBase64, toHex } from "./encoding.ts";
export {
  deriveKeyId,
  generateSigningKeyPair,
  importSigningKey,
  importVerifyKey,
  type SigningKeyPair,
} from "./keys.ts";
export {
  type AnnouncedKey,
  anyPolicySchema,
  BUNDLE_FORMAT,
  type BundleEnvelope,
  type BundlePayload,
  bundleEnvelopeSchema,
  bundlePayloadSchema,
  keyIdSchema,
  publicKeySchema,
  type TrustedKey,
  trustedKeySchema,
  type VerifierState,
  verifierStateSchema,
} from "./schema.ts";
export { type SignedBundle, signBundle } from "./sign.ts";
export { BundleVerifier } from "./verifier.ts";
export {
  type BundleRefusalCode,
  type VerifyOptions,
  type VerifyOutcome,
  verifyBundle,
} from "./verify.ts";
