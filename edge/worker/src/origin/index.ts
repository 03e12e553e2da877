/**
 * Origin lock-down: the worker signs what it forwards, the origin verifies. Import from
 * `@ringfence/worker/origin` in the origin's code; nothing here depends on Workers.
 */
export {
  canonicalString,
  importOriginKey,
  ORIGIN_SIGNATURE_HEADER,
  type SignedParts,
  signOriginRequest,
} from "./signature.ts";
export {
  createMemoryReplayCache,
  createOriginVerifier,
  type OriginRefusal,
  type OriginRequest,
  type OriginVerdict,
  type OriginVerifier,
  type OriginVerifierOptions,
  originRequestFromFetch,
  type ReplayCache,
} from "./verify.ts";
