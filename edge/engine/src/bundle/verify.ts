import type { z } from "zod";
import { parseCanonical } from "./canonical.ts";
import { fromBase64, sha256Hex } from "./encoding.ts";
import { importVerifyKey, verifyBytes } from "./keys.ts";
import {
  anyPolicySchema,
  type BundlePayload,
  bundleEnvelopeSchema,
  bundlePayloadSchema,
  type TrustedKey,
  type VerifierState,
} from "./schema.ts";

/** Why a bundle was refused; a closed set so gateways can count and alert on each. */
export type BundleRefusalCode =
  | "malformed-envelope"
  | "too-large"
  | "unknown-key"
  | "key-not-yet-valid"
  | "bad-signature"
  | "malformed-payload"
  | "wrong-organization"
  | "stale-version"
  | "version-conflict"
  | "bad-key-change";

/** The verdict on one envelope. A refusal never changes the verifier state. */
export type VerifyOutcome<P> =
  | {
      ok: true;
      /** `unchanged` means the bundle already held was delivered again. */
      status: "accepted" | "unchanged";
      payload: BundlePayload<P>;
      hash: string;
      /** The state to keep from now on: new current version and any rotated keys. */
      state: VerifierState;
    }
  | { ok: false; code: BundleRefusalCode; message: string };

export interface VerifyOptions<P> {
  /** The policy engine's schema for the payload's policy; by default any JSON object passes. */
  policySchema?: z.ZodType<P>;
  /** Envelopes larger than this many payload bytes are refused before any work (32 MiB). */
  maxPayloadBytes?: number;
  /** The clock used for announced keys' `notBefore`. */
  now?: () => Date;
  /** How far ahead of `notBefore` a key is already accepted, for clock skew (5 minutes). */
  clockSkewMs?: number;
}

const DEFAULT_MAX_PAYLOAD_BYTES = 32 * 1024 * 1024;
const DEFAULT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/**
 * Verifies an envelope against what an enforcer trusts and returns the next state. Refuses any
 * altered byte, a key it does not trust, a version older than the one held, and the same
 * version with different content. Keys announced by a verified bundle are trusted from then on.
 */
export async function verifyBundle<P = Record<string, unknown>>(
  envelope: unknown,
  state: VerifierState,
  options: VerifyOptions<P> = {},
): Promise<VerifyOutcome<P>> {
  const signed = await checkSignature(envelope, state, options);
  if (!signed.ok) {
    return signed;
  }

  const payload = readPayload(signed.bytes, options);
  if (!payload.ok) {
    return payload;
  }
  const hash = await sha256Hex(signed.bytes);
  return advance(state, payload.value, hash, signed.keyId);
}

type Refusal = { ok: false; code: BundleRefusalCode; message: string };

function refuse(code: BundleRefusalCode, message: string): Refusal {
  return { ok: false, code, message };
}

async function checkSignature<P>(
  envelope: unknown,
  state: VerifierState,
  options: VerifyOptions<P>,
): Promise<{ ok: true; bytes: Uint8Array<ArrayBuffer>; keyId: string } | Refusal> {
  const parsed = bundleEnvelopeSchema.safeParse(envelope);
  if (!parsed.success) {
    return refuse("malformed-envelope", `the envelope is malformed: ${parsed.error.message}`);
  }
  const { payload, signature, keyId } = parsed.data;
  const limit = options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  if ((payload.length / 4) * 3 > limit) {
    return refuse("too-large", `the payload exceeds the limit of ${limit} bytes`);
  }

  const key = state.trustedKeys.find((candidate) => candidate.keyId === keyId);
  if (key === undefined) {
    return refuse("unknown-key", `the bundle is signed with key ${keyId}, which is not trusted`);
  }
  if (!isValidNow(key, options)) {
    return refuse("key-not-yet-valid", `key ${keyId} is not valid before ${key.notBefore}`);
  }

  const bytes = fromBase64(payload);
  const signatureBytes = fromBase64(signature);
  if (bytes === undefined || signatureBytes === undefined) {
    return refuse("malformed-envelope", "the payload or signature is not canonical base64");
  }
  if (!(await signatureMatches(key, signatureBytes, bytes))) {
    return refuse("bad-signature", `the signature does not match key ${keyId}`);
  }
  return { ok: true, bytes, keyId };
}

async function signatureMatches(
  key: TrustedKey,
  signature: Uint8Array<ArrayBuffer>,
  bytes: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  // Some runtimes throw rather than answer false for a signature of the wrong length.
  try {
    return await verifyBytes(await importVerifyKey(key.publicKey), signature, bytes);
  } catch {
    return false;
  }
}

function isValidNow<P>(key: TrustedKey, options: VerifyOptions<P>): boolean {
  if (key.notBefore === undefined) {
    return true;
  }
  const now = (options.now ?? (() => new Date()))().getTime();
  return now + (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS) >= Date.parse(key.notBefore);
}

function readPayload<P>(
  bytes: Uint8Array<ArrayBuffer>,
  options: VerifyOptions<P>,
): { ok: true; value: BundlePayload<P> } | Refusal {
  const parsed = parseCanonical(bytes);
  if (!parsed.ok) {
    return refuse("malformed-payload", parsed.reason);
  }
  const policySchema = options.policySchema ?? (anyPolicySchema as unknown as z.ZodType<P>);
  const checked = bundlePayloadSchema(policySchema).safeParse(parsed.value);
  if (!checked.success) {
    return refuse("malformed-payload", `the payload is malformed: ${checked.error.message}`);
  }
  return { ok: true, value: checked.data as BundlePayload<P> };
}

function advance<P>(
  state: VerifierState,
  payload: BundlePayload<P>,
  hash: string,
  signingKeyId: string,
): VerifyOutcome<P> {
  if (payload.organizationId !== state.organizationId) {
    return refuse(
      "wrong-organization",
      `the bundle is for organisation ${payload.organizationId}, not ${state.organizationId}`,
    );
  }

  const current = state.current;
  if (current !== null && payload.version < current.version) {
    return refuse(
      "stale-version",
      `version ${payload.version} is older than version ${current.version} already held`,
    );
  }
  if (current !== null && payload.version === current.version) {
    return current.hash === hash
      ? { ok: true, status: "unchanged", payload, hash, state }
      : refuse("version-conflict", `version ${payload.version} arrived with different content`);
  }

  const trustedKeys = applyKeyChanges(state.trustedKeys, payload.keys, signingKeyId);
  if (typeof trustedKeys === "string") {
    return refuse("bad-key-change", trustedKeys);
  }
  const next = { ...state, trustedKeys, current: { version: payload.version, hash } };
  return { ok: true, status: "accepted", payload, hash, state: next };
}

/** Applies announced and retired keys; returns the reason as a string when they are unsound. */
function applyKeyChanges(
  trusted: readonly TrustedKey[],
  keys: BundlePayload["keys"],
  signingKeyId: string,
): TrustedKey[] | string {
  const retire = new Set(keys.retire ?? []);
  if (retire.has(signingKeyId)) {
    return `the bundle retires key ${signingKeyId}, which signed it`;
  }

  const next = trusted.filter((key) => !retire.has(key.keyId));
  for (const announced of keys.announce ?? []) {
    const known = next.find((key) => key.keyId === announced.keyId);
    if (known !== undefined && known.publicKey !== announced.publicKey) {
      return `key ${announced.keyId} is announced with a different public key than trusted`;
    }
    if (known === undefined && !retire.has(announced.keyId)) {
      next.push({ ...announced });
    }
  }
  return next.length > 32 ? "the bundle would make more than 32 keys trusted" : next;
}
