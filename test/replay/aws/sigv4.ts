/**
 * What the replay server checks of a SigV4-signed request: that an Authorization header of the
 * AWS4-HMAC-SHA256 scheme is present and well formed, and which access key, region and service
 * its credential scope names. It does not recompute the signature; the access key and session
 * token checks are what tell a correctly configured client from one that fell back to another
 * credential source.
 */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
  signedHeaders: string[];
}

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([A-Z0-9]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;

/** Parses the Authorization header, or returns a reason the request is not signed properly. */
export function parseSigV4(header: string | undefined): SigV4Scope | { error: string } {
  if (!header) return { error: "missing Authorization header" };
  const match = AUTHORIZATION.exec(header);
  if (!match) return { error: "Authorization header is not a SigV4 AWS4-HMAC-SHA256 signature" };
  const [, accessKeyId = "", date = "", region = "", service = "", signed = ""] = match;
  return { accessKeyId, date, region, service, signedHeaders: signed.split(";") };
}
