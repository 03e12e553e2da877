import { randomBytes } from "node:crypto";
import { Hash } from "@smithy/hash-node";
import { getSigningKey } from "@smithy/signature-v4";

/** The SDK's node:crypto SHA-256, in the constructor form SignatureV4 takes. */
export const Sha256 = Hash.bind(null, "sha256");

/**
 * Access keys the gateway issues to S3 clients, and how it holds them.
 *
 * SigV4 never sends the secret: it signs with a key derived from it for one day, one region and
 * one service (`HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "s3"), "aws4_request")`).
 * To verify a signature the gateway needs only that derived signing key. So a gateway can be
 * given either the secret itself (in a local file, mode 0600) or, the form meant for anything
 * that travels (a bundle, a config management system), the per-day signing keys for the days
 * ahead: one leaked key signs for one day, one region and S3 only, and the secret cannot be
 * recovered from it.
 */

/** A client access key as issued: give the secret to the client once and keep none of it. */
export type IssuedS3Key = { accessKeyId: string; secretAccessKey: string };

/** One day's signing key of a client, in the form that may travel. */
export type DerivedSigningKey = { date: string; region: string; key: string };

/** How the gateway knows a client: by its secret, or by derived per-day signing keys. */
export type S3ClientKey =
  | { accessKeyId: string; secretAccessKey: string }
  | { accessKeyId: string; signingKeys: DerivedSigningKey[] };

/** Issues a new access key (20-character id starting `RFGW`, 40-character secret). */
export function issueS3Key(): IssuedS3Key {
  const id = randomBytes(12)
    .toString("base64url")
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "7");
  return {
    accessKeyId: `RFGW${id.slice(0, 16)}`,
    secretAccessKey: randomBytes(30).toString("base64").slice(0, 40),
  };
}

/** The SigV4 signing key for `date` (YYYYMMDD), `region` and S3, derived by the SDK. */
export async function signingKey(secret: string, date: string, region: string): Promise<Buffer> {
  const credentials = { accessKeyId: "", secretAccessKey: secret };
  return Buffer.from(await getSigningKey(Sha256, credentials, date, region, "s3"));
}

/** Derives the signing keys for `days` days from `from` (UTC), for a bundle or config file. */
export function deriveSigningKeys(
  secret: string,
  region: string,
  from: Date,
  days: number,
): Promise<DerivedSigningKey[]> {
  const dates = Array.from({ length: days }, (_, offset) =>
    new Date(from.getTime() + offset * 86_400_000).toISOString().slice(0, 10).replaceAll("-", ""),
  );
  return Promise.all(
    dates.map(async (date) => ({
      date,
      region,
      key: (await signingKey(secret, date, region)).toString("hex"),
    })),
  );
}

/** Looks up the signing key of an access key for one day and region. */
export class S3ClientKeys {
  private readonly byId = new Map<string, S3ClientKey>();

  constructor(keys: readonly S3ClientKey[]) {
    for (const key of keys) this.byId.set(key.accessKeyId, key);
  }

  has(accessKeyId: string): boolean {
    return this.byId.has(accessKeyId);
  }

  /** The signing key, or undefined when the id is unknown or holds no key for that day. */
  async signingKey(accessKeyId: string, date: string, region: string): Promise<Buffer | undefined> {
    const key = this.byId.get(accessKeyId);
    if (!key) return undefined;
    if ("secretAccessKey" in key) return signingKey(key.secretAccessKey, date, region);
    const derived = key.signingKeys.find((one) => one.date === date && one.region === region);
    return derived ? Buffer.from(derived.key, "hex") : undefined;
  }
}
