import { createSign } from "node:crypto";
import { z } from "zod";
import { DiscoveryError, type OutboundFetch } from "../types.ts";

/** How the control plane reaches GCP; every origin comes from configuration, never defaults. */
export interface GcpConnection {
  fetch: OutboundFetch;
  /** The OAuth 2.0 token endpoint (the replay's `/token` in tests). */
  tokenUri: string;
  /** The origin serving `/compute/v1/…`. */
  computeEndpoint: string;
  /** The origin serving `/storage/v1/…`. */
  storageEndpoint: string;
}

/** The fields of a service-account key file that signing needs. */
export const serviceAccountKeySchema = z.object({
  type: z.literal("service_account"),
  project_id: z.string().min(1),
  private_key_id: z.string().min(1),
  private_key: z.string().includes("PRIVATE KEY", { message: "private_key must be a PEM key" }),
  client_email: z.string().email(),
});

export type ServiceAccountKey = z.output<typeof serviceAccountKeySchema>;

const SCOPE = "https://www.googleapis.com/auth/cloud-platform.read-only";

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

/**
 * Exchanges a signed JWT for an access token (RFC 7523), as a service-account key is used. The
 * key file's own `token_uri` is ignored on purpose: it is customer input, and honouring it
 * would let a key file point the control plane at any host.
 */
export async function gcpToken(connection: GcpConnection, key: ServiceAccountKey): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const header = b64({ alg: "RS256", typ: "JWT", kid: key.private_key_id });
  const claims = b64({
    iss: key.client_email,
    scope: SCOPE,
    aud: connection.tokenUri,
    iat: now,
    exp: now + 3600,
  });
  const signature = createSign("RSA-SHA256")
    .update(`${header}.${claims}`)
    .sign(key.private_key, "base64url");

  const response = await connection.fetch(connection.tokenUri, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "urn:ietf:params:oauth:grant-type:jwt-bearer",
      assertion: `${header}.${claims}.${signature}`,
    }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === "string") return body.access_token;
  const code = typeof body.error === "string" ? body.error : `HTTP ${response.status}`;
  const detail = typeof body.error_description === "string" ? body.error_description : "";
  throw new DiscoveryError({
    scope: "account",
    code,
    message: `${code} signing in as ${key.client_email}: the key was revoked or is not this service account's; upload a current key (${detail})`,
  });
}
