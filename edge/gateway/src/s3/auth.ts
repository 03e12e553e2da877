import { headerValue, type RequestHead } from "../http/head.ts";
import { type ChunkedVariant, type ChunkSigning, supportedTrailer } from "./body.ts";
import type { S3ClientKeys } from "./keys.ts";
import { parseAuthorization, scopeOf, signatureMatches } from "./sigv4.ts";

/** An authenticated S3 request: who signed it and how its body is to be checked. */
export type S3Auth = {
  accessKeyId: string;
  /** `x-amz-content-sha256` as signed: a hex SHA-256, `UNSIGNED-PAYLOAD` or a streaming mode. */
  payloadHash: string;
  signing: ChunkSigning;
  streaming?: { variant: ChunkedVariant; decodedLength: number; trailer?: string };
};

/** Why a request was not authenticated; the code doubles as the finding id. */
export type AuthOutcome =
  | { ok: true; value: S3Auth }
  | { ok: false; code: string; message: string };

/** How far a client's clock may be from the gateway's, as S3 allows. */
const MAX_SKEW_MS = 15 * 60 * 1000;
const REQUIRED_SIGNED = ["host", "x-amz-date", "x-amz-content-sha256"];
const STREAMING: Record<string, ChunkedVariant> = {
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD": { signed: true, trailer: false },
  "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER": { signed: true, trailer: true },
  "STREAMING-UNSIGNED-PAYLOAD-TRAILER": { signed: false, trailer: true },
};

const fail = (code: string, message: string): AuthOutcome => ({ ok: false, code, message });

/**
 * Checks a request's SigV4 header signature against the signing key of the access key it names
 * (a key this gateway issued), for this endpoint's region, within the allowed clock skew.
 */
export async function authenticate(
  keys: S3ClientKeys,
  region: string,
  head: RequestHead,
  rawPath: string,
  query: ReadonlyMap<string, string>,
  now = Date.now(),
): Promise<AuthOutcome> {
  const header = (name: string) => headerValue(head.headers, name);
  const auth = parseAuthorization(header("authorization"));
  if (!auth) return fail("missing-signature", "the request carries no SigV4 Authorization header");
  if (auth.service !== "s3" || auth.region !== region) {
    return fail("wrong-scope", `requests must be signed for s3 in ${region}`);
  }
  const missing = REQUIRED_SIGNED.find((name) => !auth.signedHeaders.includes(name));
  if (missing) return fail("unsigned-header", `the signature must cover ${missing}`);
  const longDate = header("x-amz-date") ?? "";
  const time = parseAmzDate(longDate);
  if (time === undefined || !longDate.startsWith(auth.date)) {
    return fail("bad-date", "x-amz-date is missing, malformed or outside the credential scope");
  }
  if (Math.abs(now - time) > MAX_SKEW_MS)
    return fail("request-time-skewed", "the request time is too far from the gateway's clock");

  const body = bodyMode(header("x-amz-content-sha256"), header);
  if ("error" in body) return fail("bad-payload-mode", body.error);
  const key = await keys.signingKey(auth.accessKeyId, auth.date, auth.region);
  if (!key) return fail("unknown-access-key", "the access key is not one this gateway issued");
  const request = {
    method: head.method,
    path: rawPath,
    query: Object.fromEntries(query),
    headers: head.headers,
  };
  if (!(await signatureMatches(request, auth, longDate, key))) {
    return fail("signature-mismatch", "the request signature does not match");
  }
  const signing = { key, longDate, scope: scopeOf(auth), seed: auth.signature };
  return {
    ok: true,
    value: {
      accessKeyId: auth.accessKeyId,
      payloadHash: body.hash,
      signing,
      streaming: body.streaming,
    },
  };
}

function bodyMode(
  hash: string | undefined,
  header: (name: string) => string | undefined,
): { hash: string; streaming?: S3Auth["streaming"] } | { error: string } {
  if (hash === undefined) return { error: "x-amz-content-sha256 is required" };
  if (hash === "UNSIGNED-PAYLOAD" || /^[0-9a-f]{64}$/.test(hash)) return { hash };
  const variant = STREAMING[hash];
  if (!variant) return { error: `x-amz-content-sha256 ${hash.slice(0, 64)} is not supported` };
  const encodings = (header("content-encoding") ?? "").split(",").map((token) => token.trim());
  if (!encodings.includes("aws-chunked"))
    return { error: "a streaming upload needs Content-Encoding: aws-chunked" };
  const decoded = header("x-amz-decoded-content-length") ?? "";
  if (!/^\d{1,15}$/.test(decoded))
    return { error: "x-amz-decoded-content-length is missing or not a number" };
  const trailer = header("x-amz-trailer")?.trim().toLowerCase();
  if (variant.trailer && (trailer === undefined || !supportedTrailer(trailer))) {
    return { error: `x-amz-trailer ${trailer ?? "(none)"} is missing or not a supported checksum` };
  }
  return {
    hash,
    streaming: {
      variant,
      decodedLength: Number(decoded),
      trailer: variant.trailer ? trailer : undefined,
    },
  };
}

function parseAmzDate(value: string): number | undefined {
  const match = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match.map(Number);
  const time = Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
  return Number.isNaN(time) ? undefined : time;
}
