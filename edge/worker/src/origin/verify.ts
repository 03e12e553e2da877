import {
  canonicalString,
  fromBase64Url,
  importOriginKey,
  invalidPart,
  ORIGIN_SIGNATURE_HEADER,
  type SignedParts,
} from "./signature.ts";

/** Why the origin refused a request; a closed set so an origin can count each. */
export type OriginRefusal =
  | "missing-signature"
  | "malformed-signature"
  | "expired"
  | "bad-signature"
  | "replayed";

export type OriginVerdict =
  | { ok: true; requestId: string; timestamp: number }
  | { ok: false; reason: OriginRefusal; message: string };

/**
 * Remembers request ids seen inside the acceptance window, so that a captured request cannot
 * be replayed even within it. `remember` returns false when the id was already seen.
 */
export interface ReplayCache {
  remember(requestId: string, expiresAtSeconds: number): boolean | Promise<boolean>;
}

export interface OriginVerifierOptions {
  /** Accepted secrets; more than one during a rotation. */
  secrets: readonly string[];
  /** How far a signature's timestamp may be from now, either way, in seconds (default 60). */
  windowSeconds?: number;
  /** The clock, in seconds since the epoch (default: the system clock). */
  now?: () => number;
  /** Rejects a request id seen before inside the window; without one, only the window applies. */
  replayCache?: ReplayCache;
}

/** The request as the origin received it. */
export interface OriginRequest {
  method: string;
  host: string;
  path: string;
  /** The value of the `ringfence-origin-signature` header, if present. */
  signature: string | null | undefined;
}

/** Verifies origin signatures; build one per process and reuse it (keys are imported once). */
export type OriginVerifier = (request: OriginRequest) => Promise<OriginVerdict>;

const HEADER_FORMAT = /^v1;t=(\d{1,12});rid=([A-Za-z0-9._:-]{1,128});sig=([A-Za-z0-9_-]{43})$/;

/**
 * Builds the verifier an origin runs before serving anything. Runtime-neutral (Web Crypto): use
 * it from Node, a Lambda handler, Deno or another worker. The HMAC check is Web Crypto's own
 * verify, which compares in constant time.
 */
export function createOriginVerifier(options: OriginVerifierOptions): OriginVerifier {
  if (options.secrets.length === 0) {
    throw new RangeError("an origin verifier needs at least one secret");
  }
  const keys = Promise.all(options.secrets.map(importOriginKey));
  const windowSeconds = options.windowSeconds ?? 60;
  const now = options.now ?? (() => Math.floor(Date.now() / 1000));

  return async (request) => {
    const header = parseHeader(request.signature);
    if (!header.ok) return header;

    const skew = Math.abs(now() - header.timestamp);
    if (skew > windowSeconds) {
      return refuse("expired", `signed ${skew} s away from now; the window is ${windowSeconds} s`);
    }

    const parts: SignedParts = {
      method: request.method,
      host: request.host,
      path: request.path,
      timestamp: header.timestamp,
      requestId: header.requestId,
    };
    if (invalidPart(parts) !== undefined) {
      return refuse("malformed-signature", "the request cannot carry a valid signature");
    }
    if (!(await anyKeyVerifies(await keys, parts, header.mac))) {
      return refuse("bad-signature", "the signature does not match this request");
    }

    const fresh = await options.replayCache?.remember(
      header.requestId,
      header.timestamp + windowSeconds,
    );
    if (fresh === false) {
      return refuse("replayed", "this request id was already accepted");
    }
    return { ok: true, requestId: header.requestId, timestamp: header.timestamp };
  };
}

type ParsedHeader = {
  ok: true;
  timestamp: number;
  requestId: string;
  mac: Uint8Array<ArrayBuffer>;
};

function parseHeader(value: string | null | undefined): ParsedHeader | Refusal {
  if (value === null || value === undefined || value === "") {
    return refuse("missing-signature", `the ${ORIGIN_SIGNATURE_HEADER} header is missing`);
  }
  const match = HEADER_FORMAT.exec(value.trim());
  const mac = match?.[3] === undefined ? undefined : fromBase64Url(match[3]);
  if (match?.[1] === undefined || match[2] === undefined || mac === undefined) {
    return refuse("malformed-signature", `the ${ORIGIN_SIGNATURE_HEADER} header is malformed`);
  }
  return { ok: true, timestamp: Number(match[1]), requestId: match[2], mac };
}

async function anyKeyVerifies(
  keys: CryptoKey[],
  parts: SignedParts,
  mac: Uint8Array<ArrayBuffer>,
): Promise<boolean> {
  const data = new TextEncoder().encode(canonicalString(parts));
  for (const key of keys) {
    if (await crypto.subtle.verify("HMAC", key, mac, data)) return true;
  }
  return false;
}

type Refusal = Extract<OriginVerdict, { ok: false }>;

function refuse(reason: OriginRefusal, message: string): Refusal {
  return { ok: false, reason, message };
}

/**
 * A replay cache for one process: ids are kept until their window closes. Several origin
 * replicas each keep their own, so a replay to another replica inside the window is caught only
 * by the window itself; a shared store (Redis, DynamoDB with TTL) removes that gap.
 */
export function createMemoryReplayCache(now = () => Math.floor(Date.now() / 1000)): ReplayCache {
  const seen = new Map<string, number>();
  return {
    remember(requestId, expiresAtSeconds) {
      const current = now();
      for (const [id, expiry] of seen) {
        if (expiry < current) seen.delete(id);
      }
      if (seen.has(requestId)) return false;
      seen.set(requestId, expiresAtSeconds);
      return true;
    },
  };
}

/** Convenience for a Fetch-API origin: reads method, Host, path and header from a Request. */
export function originRequestFromFetch(request: Request): OriginRequest {
  const url = new URL(request.url);
  return {
    method: request.method,
    host: request.headers.get("host") ?? url.host,
    path: `${url.pathname}${url.search}`,
    signature: request.headers.get(ORIGIN_SIGNATURE_HEADER),
  };
}
