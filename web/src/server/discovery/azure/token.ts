import { DiscoveryError, type OutboundFetch } from "../types.ts";

/** How the control plane reaches Azure; both origins come from configuration, never defaults. */
export interface AzureConnection {
  fetch: OutboundFetch;
  /** The Entra ID authority host, e.g. the replay server's origin in tests. */
  authorityHost: string;
  /** The ARM origin. */
  armEndpoint: string;
}

/** A service principal's client secret, or a federated credential's assertion (a signed JWT). */
export type AzureCredential =
  | { kind: "secret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "federated"; tenantId: string; clientId: string; assertion: string };

const ARM_SCOPE = "https://management.azure.com/.default";

/**
 * Obtains an ARM access token with the OAuth 2.0 client-credentials grant, as documented for the
 * Microsoft identity platform v2 endpoint. Only the explicit credential is used: no managed
 * identity, environment or CLI fallback exists in this code path.
 */
export async function azureToken(
  connection: AzureConnection,
  credential: AzureCredential,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: credential.clientId,
    scope: ARM_SCOPE,
  });
  if (credential.kind === "secret") form.set("client_secret", credential.clientSecret);
  else {
    form.set("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    form.set("client_assertion", credential.assertion);
  }
  const url = `${connection.authorityHost}/${encodeURIComponent(credential.tenantId)}/oauth2/v2.0/token`;
  const response = await connection.fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
  });
  const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
  if (response.ok && typeof body.access_token === "string") return body.access_token;
  throw new DiscoveryError(tokenProblem(credential, response.status, body));
}

function tokenProblem(credential: AzureCredential, status: number, body: Record<string, unknown>) {
  const code = typeof body.error === "string" ? body.error : `HTTP ${status}`;
  const detail =
    typeof body.error_description === "string" ? body.error_description.split("\n")[0] : "";
  const fix =
    code === "invalid_client"
      ? credential.kind === "secret"
        ? "the client secret is wrong or expired; paste the secret's value (not its id)"
        : "the federated credential's issuer/subject do not match the app registration"
      : code === "unauthorized_client"
        ? `app ${credential.clientId} is not registered in tenant ${credential.tenantId}; check both ids`
        : "check the tenant id, client id and credential";
  return {
    scope: "account",
    code,
    message: `${code} signing in as ${credential.clientId}: ${fix} (${detail})`,
  };
}
