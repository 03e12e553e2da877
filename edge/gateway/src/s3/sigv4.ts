import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { SignatureV4, SignatureV4Base } from "@smithy/signature-v4";
import { Sha256 } from "./keys.ts";

/** What the Authorization header of a SigV4 request names. */
export type SigV4Authorization = {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
  signature: string;
};

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/;

/** Parses `AWS4-HMAC-SHA256 Credential=…, SignedHeaders=…, Signature=…`; undefined if not that. */
export function parseAuthorization(value: string | undefined): SigV4Authorization | undefined {
  const match = AUTHORIZATION.exec(value?.trim() ?? "");
  if (!match) return undefined;
  const [, accessKeyId = "", date = "", region = "", service = "", headers = "", sig = ""] = match;
  return {
    accessKeyId,
    date,
    region,
    service,
    signedHeaders: headers.split(";"),
    signature: sig,
  };
}

/** The request as the client signed it: raw path, decoded query, and its headers. */
export type SignedRequest = {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: ReadonlyArray<readonly [string, string]>;
};

/**
 * Recomputes a client's request signature with the SDK's own canonical request and string to
 * sign (S3 signs the path as sent, without normalising or double-encoding it). Only the
 * signing key is needed, never the secret, so derived per-day keys verify as well.
 */
class RequestSignatureCheck extends SignatureV4Base {
  constructor() {
    super({
      credentials: { accessKeyId: "", secretAccessKey: "" },
      region: "",
      service: "s3",
      sha256: Sha256,
      uriEscapePath: false,
      applyChecksum: false,
    });
  }

  async expected(
    request: SignedRequest,
    auth: SigV4Authorization,
    longDate: string,
    key: Buffer,
  ): Promise<string> {
    const canonicalHeaders: Record<string, string> = {};
    for (const name of auth.signedHeaders) {
      const values = request.headers.filter(([header]) => header.toLowerCase() === name);
      canonicalHeaders[name] = values
        .map(([, value]) => value.trim().replace(/\s+/g, " "))
        .join(",");
    }
    const payloadHash = canonicalHeaders["x-amz-content-sha256"] ?? "";
    const canonical = this.createCanonicalRequest(
      {
        method: request.method,
        path: request.path,
        query: request.query,
        headers: {},
        protocol: "",
        hostname: "",
      },
      canonicalHeaders,
      payloadHash,
    );
    const stringToSign = await this.createStringToSign(
      longDate,
      scopeOf(auth),
      canonical,
      "AWS4-HMAC-SHA256",
    );
    return hmacHex(key, stringToSign);
  }
}

const check = new RequestSignatureCheck();

/** True when `auth.signature` is the signature of `request` under `key`. */
export async function signatureMatches(
  request: SignedRequest,
  auth: SigV4Authorization,
  longDate: string,
  key: Buffer,
): Promise<boolean> {
  return sameHex(await check.expected(request, auth, longDate, key), auth.signature);
}

/** `date/region/service/aws4_request`, the credential scope. */
export function scopeOf(auth: Pick<SigV4Authorization, "date" | "region" | "service">): string {
  return `${auth.date}/${auth.region}/${auth.service}/aws4_request`;
}

const EMPTY_SHA256 = createHash("sha256").digest("hex");

/**
 * The signature of one aws-chunked chunk: it chains the previous signature (the request's for
 * the first chunk) with the chunk's hash, so chunks can be neither altered nor reordered.
 */
export function chunkSignature(
  key: Buffer,
  longDate: string,
  scope: string,
  previous: string,
  chunk: Uint8Array,
): string {
  const hash = createHash("sha256").update(chunk).digest("hex");
  const text = ["AWS4-HMAC-SHA256-PAYLOAD", longDate, scope, previous, EMPTY_SHA256, hash];
  return hmacHex(key, text.join("\n"));
}

/** The signature over the trailing headers (`name:value\n` each) of a signed trailer upload. */
export function trailerSignature(
  key: Buffer,
  longDate: string,
  scope: string,
  previous: string,
  trailer: string,
): string {
  const hash = createHash("sha256").update(trailer).digest("hex");
  return hmacHex(key, ["AWS4-HMAC-SHA256-TRAILER", longDate, scope, previous, hash].join("\n"));
}

/** Constant-time comparison of two hex signatures. */
export function sameHex(a: string, b: string): boolean {
  const left = Buffer.from(a, "hex");
  const right = Buffer.from(b, "hex");
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

function hmacHex(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex");
}

/** Credentials the gateway signs upstream requests with; always explicit, never looked up. */
export type UpstreamCredentials = {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
};

/** Signs upstream requests with the gateway's own credentials (the SDK's SignatureV4). */
export function upstreamSigner(credentials: UpstreamCredentials, region: string): SignatureV4 {
  return new SignatureV4({
    credentials,
    region,
    service: "s3",
    sha256: Sha256,
    uriEscapePath: false,
    applyChecksum: false,
  });
}
