import { randomBytes } from "node:crypto";
import {
  json,
  page,
  type ReplayRequest,
  type ReplayResponse,
  type RunningServer,
  startReplayServer,
  type TlsMaterial,
} from "../server.ts";
import { AZURE_TYPES, type AzureApp, type AzureWorld } from "./world.ts";

export * from "./world.ts";

/** A running Azure replay: the Entra ID token endpoint and ARM on one HTTPS origin. */
export interface AzureReplay extends RunningServer {
  world: AzureWorld;
  calls: Map<string, number>;
}

/**
 * Starts the Azure replay over HTTPS with `tls` (a certificate from the test CA), because
 * Azure's authority and ARM are HTTPS-only and clients must prove they verify the chain.
 */
export async function startAzureReplay(world: AzureWorld, tls: TlsMaterial): Promise<AzureReplay> {
  const tokens = new Map<string, AzureApp>();
  const calls = new Map<string, number>();
  let origin = "";
  const server = await startReplayServer((request) => {
    const label = request.url.pathname.replace(/\/subscriptions\/[^/]+/, "/subscriptions/*");
    calls.set(label, (calls.get(label) ?? 0) + 1);
    if (request.method === "POST" && request.url.pathname.endsWith("/oauth2/v2.0/token")) {
      return token(world, tokens, request);
    }
    return arm(world, tokens, request, origin);
  }, tls);
  origin = server.url;
  return { ...server, world, calls };
}

function oauthError(status: number, error: string, description: string): ReplayResponse {
  return json(status, {
    error,
    error_description: description,
    error_codes: [],
    timestamp: new Date().toISOString(),
  });
}

function token(world: AzureWorld, tokens: Map<string, AzureApp>, request: ReplayRequest) {
  const tenantId = request.url.pathname.split("/")[1] ?? "";
  const form = new URLSearchParams(request.body);
  if (form.get("grant_type") !== "client_credentials") {
    return oauthError(
      400,
      "unsupported_grant_type",
      "AADSTS70003: grant_type must be client_credentials",
    );
  }
  if (form.get("scope") !== "https://management.azure.com/.default") {
    return oauthError(400, "invalid_scope", "AADSTS70011: the scope is not valid for this replay");
  }
  const app = world.apps.find(
    (candidate) => candidate.tenantId === tenantId && candidate.clientId === form.get("client_id"),
  );
  if (!app) {
    return oauthError(
      400,
      "unauthorized_client",
      `AADSTS700016: Application with identifier '${form.get("client_id")}' was not found in the directory '${tenantId}'.`,
    );
  }
  const secretOk = app.clientSecret !== undefined && form.get("client_secret") === app.clientSecret;
  const assertionOk =
    app.federatedAssertion !== undefined &&
    form.get("client_assertion_type") ===
      "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" &&
    form.get("client_assertion") === app.federatedAssertion;
  if (!secretOk && !assertionOk) {
    return oauthError(
      401,
      "invalid_client",
      `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${app.clientId}'.`,
    );
  }
  const accessToken = randomBytes(32).toString("base64url");
  tokens.set(accessToken, app);
  return json(200, {
    token_type: "Bearer",
    expires_in: 3599,
    ext_expires_in: 3599,
    access_token: accessToken,
  });
}

function armError(status: number, code: string, message: string): ReplayResponse {
  return json(status, { error: { code, message } });
}

function arm(
  world: AzureWorld,
  tokens: Map<string, AzureApp>,
  request: ReplayRequest,
  origin: string,
) {
  const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
  const app = bearer ? tokens.get(bearer) : undefined;
  if (!app) return armError(401, "InvalidAuthenticationToken", "The access token is invalid.");
  if (!request.url.searchParams.get("api-version")) {
    return armError(
      400,
      "MissingApiVersionParameter",
      "The api-version query parameter (?api-version=) is required for all requests.",
    );
  }
  const match = /^\/subscriptions\/([^/]+)\/providers\/([^/]+\/[^/]+)$/.exec(request.url.pathname);
  const type = AZURE_TYPES.find(
    (candidate) => candidate.toLowerCase() === match?.[2]?.toLowerCase(),
  );
  if (!match || !type)
    return armError(404, "InvalidResourceType", `no replay for ${request.url.pathname}`);
  const subscription = match[1] ?? "";
  if (!app.subscriptions.includes(subscription)) {
    return armError(
      403,
      "AuthorizationFailed",
      `The client '${app.clientId}' with object id '${app.clientId}' does not have authorization to perform action '${type}/read' over scope '/subscriptions/${subscription}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
    );
  }
  const throttled = world.throttle[type] ?? 0;
  if (throttled > 0) {
    world.throttle[type] = throttled - 1;
    return {
      ...armError(429, "TooManyRequests", "Rate limit exceeded"),
      headers: { "content-type": "application/json", "retry-after": "0" },
    };
  }
  const all = (world.resources[subscription] ?? []).filter((resource) => resource.type === type);
  const result = page(all, request.url.searchParams.get("$skiptoken"), world.pageSize);
  const next = new URL(request.url.pathname + request.url.search, origin);
  if (result.next) next.searchParams.set("$skiptoken", result.next);
  return json(200, { value: result.items, ...(result.next ? { nextLink: next.toString() } : {}) });
}
