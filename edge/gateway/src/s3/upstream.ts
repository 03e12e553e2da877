import type { SignatureV4 } from "@smithy/signature-v4";
import type { UpstreamRequest } from "../proxy/exchange.ts";

/**
 * Decodes a raw query string into parameters (names and values percent-decoded, `+` literal as
 * S3 reads it). Undefined when an escape is malformed or a name repeats, since the client's
 * signature and the upstream's reading could then disagree.
 */
export function parseQuery(raw: string): Map<string, string> | undefined {
  const query = new Map<string, string>();
  if (raw === "") return query;
  for (const part of raw.split("&")) {
    if (part === "") continue;
    const eq = part.indexOf("=");
    try {
      const name = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
      const value = eq === -1 ? "" : decodeURIComponent(part.slice(eq + 1));
      if (query.has(name)) return undefined;
      query.set(name, value);
    } catch {
      return undefined;
    }
  }
  return query;
}

/** RFC 3986 encoding as SigV4 canonicalises query parameters. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

// Client headers that describe the object or condition the operation, and so go upstream. The
// client's own signature, date, token and streaming framing stay behind: the gateway re-signs.
const KEEP =
  /^(content-type|content-md5|content-disposition|content-language|cache-control|expires|range|if-match|if-none-match|if-modified-since|if-unmodified-since|x-request-id|x-amz-.*)$/;
const DROP =
  /^x-amz-(date|content-sha256|security-token|decoded-content-length|trailer|sdk-checksum-algorithm)$/;

/** What the upstream request is made of. */
export type UpstreamParts = {
  method: string;
  /** Host header: the upstream's name, with the port when it is not the scheme's default. */
  host: string;
  path: string;
  query: ReadonlyMap<string, string>;
  clientHeaders: ReadonlyArray<readonly [string, string]>;
  /** The payload hash to sign: the client's hex hash, or UNSIGNED-PAYLOAD for a decoded stream. */
  payloadHash: string;
  /** The length of the body sent upstream (decoded for aws-chunked uploads). */
  contentLength: number | undefined;
  body: AsyncIterable<Uint8Array> | null;
};

/** Builds and signs the upstream request with the gateway's own credentials. */
export async function upstreamRequest(
  signer: SignatureV4,
  parts: UpstreamParts,
): Promise<UpstreamRequest> {
  const headers: Record<string, string> = {};
  for (const [name, value] of parts.clientHeaders) {
    const lower = name.toLowerCase();
    if (!KEEP.test(lower) || DROP.test(lower)) continue;
    headers[lower] = headers[lower] === undefined ? value : `${headers[lower]},${value}`;
  }
  const encodings = (headers["content-encoding"] ?? "")
    .split(",")
    .map((token) => token.trim())
    .filter((token) => token !== "" && token !== "aws-chunked");
  if (encodings.length > 0) headers["content-encoding"] = encodings.join(",");
  headers.host = parts.host;
  headers["x-amz-content-sha256"] = parts.payloadHash;
  if (parts.contentLength !== undefined) headers["content-length"] = String(parts.contentLength);

  const query = Object.fromEntries(parts.query);
  const signed = await signer.sign({
    method: parts.method,
    protocol: "https:",
    hostname: parts.host,
    path: parts.path,
    query,
    headers,
  });
  const search = [...parts.query]
    .map(([name, value]) => (value === "" ? rfc3986(name) : `${rfc3986(name)}=${rfc3986(value)}`))
    .join("&");
  return {
    path: search === "" ? parts.path : `${parts.path}?${search}`,
    headers: Object.entries(signed.headers),
    body: parts.body,
  };
}
