import { createHash } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * SigV4 verification as S3 does it, for the test server: the request is signed again with the
 * caller's secret by the SDK's own SignatureV4, over exactly the headers the caller signed and
 * at the time it claims, and the two Authorization values must be equal. Plain bodies with a
 * hex `x-amz-content-sha256` are hashed and compared as well. Streaming (aws-chunked) uploads
 * are not accepted: this server stands for the upstream behind the gateway, which decodes them.
 */

export type SigV4Verdict = { ok: true; accessKeyId: string } | { ok: false; code: string };

const CREDENTIAL = /Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request/;
const SIGNED = /SignedHeaders=([a-z0-9;-]+)/;

export async function verifySigV4(
  req: IncomingMessage,
  secrets: Record<string, string>,
  region: string,
): Promise<SigV4Verdict> {
  const authorization = req.headers.authorization ?? "";
  const credential = CREDENTIAL.exec(authorization);
  const signed = SIGNED.exec(authorization)?.[1]?.split(";");
  const accessKeyId = credential?.[1] ?? "";
  const secret = secrets[accessKeyId];
  if (!credential || !signed || credential[3] !== region)
    return { ok: false, code: "AuthorizationHeaderMalformed" };
  if (secret === undefined) return { ok: false, code: "InvalidAccessKeyId" };
  const hash = req.headers["x-amz-content-sha256"];
  if (typeof hash !== "string" || hash.startsWith("STREAMING-"))
    return { ok: false, code: "InvalidRequest" };

  const url = new URL(req.url ?? "/", "http://s3.invalid");
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const headers: Record<string, string> = {};
  for (const name of signed) {
    const value = req.headers[name];
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(",") : value;
  }
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey: secret },
    region,
    service: "s3",
    sha256: Hash.bind(null, "sha256"),
    uriEscapePath: false,
    applyChecksum: false,
  });
  const date = req.headers["x-amz-date"];
  const again = await signer.sign(
    {
      method: req.method ?? "GET",
      protocol: "http:",
      hostname: req.headers.host ?? "",
      path: (req.url ?? "/").split("?")[0] ?? "/",
      query,
      headers,
    },
    {
      signingDate: parseAmzDate(typeof date === "string" ? date : ""),
      signableHeaders: new Set(signed),
    },
  );
  if (again.headers.authorization !== authorization)
    return { ok: false, code: "SignatureDoesNotMatch" };
  return { ok: true, accessKeyId };
}

/** Checks a buffered body against the hex hash the caller signed; UNSIGNED-PAYLOAD passes. */
export function payloadMatches(req: IncomingMessage, body: Buffer): boolean {
  const hash = req.headers["x-amz-content-sha256"];
  if (hash === "UNSIGNED-PAYLOAD") return true;
  return createHash("sha256").update(body).digest("hex") === hash;
}

function parseAmzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) return new Date(Number.NaN);
  return new Date(
    Date.UTC(
      +(m[1] ?? 0),
      +(m[2] ?? 1) - 1,
      +(m[3] ?? 1),
      +(m[4] ?? 0),
      +(m[5] ?? 0),
      +(m[6] ?? 0),
    ),
  );
}
