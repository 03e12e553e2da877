/**
 * The origin lock-down signature. The worker signs every request it forwards; the origin
 * verifies it, so a request that reached the origin without passing the worker's policy (a
 * direct hit on the API Gateway stage or Lambda URL) is refused there. Web Crypto only, so the
 * same code signs in workerd and verifies in Node, Lambda, Deno or another worker.
 */

/** The header carrying the signature: `v1;t=<unix seconds>;rid=<request id>;sig=<base64url>`. */
export const ORIGIN_SIGNATURE_HEADER = "ringfence-origin-signature";

/** The parts of a forwarded request that the signature covers. */
export interface SignedParts {
  method: string;
  /** The Host the origin receives (the origin's own host name, port included if not default). */
  host: string;
  /** Path and query exactly as the origin receives them, e.g. `/prod/orders?id=7`. */
  path: string;
  /** Seconds since the Unix epoch when the worker signed. */
  timestamp: number;
  requestId: string;
}

const encoder = new TextEncoder();
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The exact bytes that are signed. Fields are joined by newlines, which none of them may
 * contain (methods and hosts are tokens, paths are percent-encoded by the URL parser, request
 * ids are checked), so two different requests can never produce the same string.
 */
export function canonicalString(parts: SignedParts): string {
  return [
    "ringfence-origin-v1",
    parts.method.toUpperCase(),
    parts.host.toLowerCase(),
    parts.path,
    String(parts.timestamp),
    parts.requestId,
  ].join("\n");
}

/** Checks that every part can be signed unambiguously; returns what is wrong, if anything. */
export function invalidPart(parts: SignedParts): string | undefined {
  if (!/^[A-Za-z]{1,32}$/.test(parts.method)) return "method is not an HTTP token";
  if (!/^[A-Za-z0-9.:[\]-]{1,261}$/.test(parts.host)) return "host is not a host name";
  if (!parts.path.startsWith("/") || /[\s]/.test(parts.path)) return "path is not an origin form";
  if (!Number.isSafeInteger(parts.timestamp) || parts.timestamp < 0) return "timestamp is invalid";
  if (!REQUEST_ID.test(parts.requestId)) return "request id has characters outside [A-Za-z0-9._:-]";
  return undefined;
}

/** Imports an HMAC-SHA256 key from the shared secret text. */
export async function importOriginKey(secret: string): Promise<CryptoKey> {
  if (secret.length < 32) {
    throw new RangeError("the origin signing secret must be at least 32 characters");
  }
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(secret),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** Computes the header value for one forwarded request. */
export async function signOriginRequest(key: CryptoKey, parts: SignedParts): Promise<string> {
  const problem = invalidPart(parts);
  if (problem !== undefined) {
    throw new TypeError(`cannot sign origin request: ${problem}`);
  }
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(canonicalString(parts)));
  return `v1;t=${parts.timestamp};rid=${parts.requestId};sig=${toBase64Url(new Uint8Array(mac))}`;
}

/** Encodes bytes as unpadded base64url (RFC 4648 section 5). */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** Decodes unpadded base64url; undefined when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}
