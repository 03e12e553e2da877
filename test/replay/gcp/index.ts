import { createPublicKey, createVerify, randomBytes } from "node:crypto";
import {
  json,
  page,
  type ReplayRequest,
  type ReplayResponse,
  type RunningServer,
  startReplayServer,
  type TlsMaterial,
} from "../server.ts";

/** A service account: its email and the public half of the key the customer uploaded. */
export interface GcpServiceAccount {
  email: string;
  publicKeyPem: string;
  /** Projects it may list; others answer 403 naming the missing permission. */
  projects: string[];
}

/** One project's resources in the Compute and Storage JSON shapes. */
export interface GcpProject {
  networks: Record<string, unknown>[];
  /** Subnetworks and instances keyed by their aggregated scope (`regions/…`, `zones/…`). */
  subnetworks: Record<string, Record<string, unknown>[]>;
  instances: Record<string, Record<string, unknown>[]>;
  firewalls: Record<string, unknown>[];
  buckets: Record<string, unknown>[];
}

export interface GcpWorld {
  serviceAccounts: GcpServiceAccount[];
  projects: Record<string, GcpProject>;
  pageSize: number;
}

export interface GcpReplay extends RunningServer {
  world: GcpWorld;
  /** The token endpoint URL the replay's JWT audience must name. */
  tokenUri: string;
}

/** Starts the GCP replay (OAuth token endpoint, Compute v1, Storage v1 JSON) over HTTPS. */
export async function startGcpReplay(world: GcpWorld, tls: TlsMaterial): Promise<GcpReplay> {
  const tokens = new Map<string, GcpServiceAccount>();
  let tokenUri = "";
  const server = await startReplayServer((request) => {
    if (request.method === "POST" && request.url.pathname === "/token") {
      return token(world, tokens, request, tokenUri);
    }
    return api(world, tokens, request);
  }, tls);
  tokenUri = `${server.url}/token`;
  return { ...server, world, tokenUri };
}

const oauthError = (description: string): ReplayResponse =>
  json(400, { error: "invalid_grant", error_description: description });

function token(
  world: GcpWorld,
  tokens: Map<string, GcpServiceAccount>,
  request: ReplayRequest,
  tokenUri: string,
): ReplayResponse {
  const form = new URLSearchParams(request.body);
  if (form.get("grant_type") !== "urn:ietf:params:oauth:grant-type:jwt-bearer") {
    return json(400, { error: "unsupported_grant_type", error_description: "Invalid grant_type" });
  }
  const [header = "", payload = "", signature = ""] = (form.get("assertion") ?? "").split(".");
  const claims = decodeJson(payload);
  const account = world.serviceAccounts.find((candidate) => candidate.email === claims?.iss);
  if (!claims || !account) return oauthError("Invalid JWT: unknown issuer");
  const verifier = createVerify("RSA-SHA256").update(`${header}.${payload}`);
  if (
    !verifier.verify(createPublicKey(account.publicKeyPem), Buffer.from(signature, "base64url"))
  ) {
    return oauthError("Invalid JWT Signature.");
  }
  const now = Date.now() / 1000;
  if (claims.aud !== tokenUri) return oauthError("Invalid JWT: aud is not this token endpoint");
  if (typeof claims.exp !== "number" || claims.exp < now || claims.exp - now > 3600) {
    return oauthError(
      "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe.",
    );
  }
  const accessToken = `ya29.${randomBytes(24).toString("base64url")}`;
  tokens.set(accessToken, account);
  return json(200, { access_token: accessToken, expires_in: 3599, token_type: "Bearer" });
}

function decodeJson(part: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(Buffer.from(part, "base64url").toString("utf8")) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

const ROUTES: [RegExp, string, (project: GcpProject) => unknown][] = [
  [
    /^\/compute\/v1\/projects\/([^/]+)\/global\/networks$/,
    "compute.networks.list",
    (p) => p.networks,
  ],
  [
    /^\/compute\/v1\/projects\/([^/]+)\/global\/firewalls$/,
    "compute.firewalls.list",
    (p) => p.firewalls,
  ],
  [
    /^\/compute\/v1\/projects\/([^/]+)\/aggregated\/subnetworks$/,
    "compute.subnetworks.list",
    (p) => p.subnetworks,
  ],
  [
    /^\/compute\/v1\/projects\/([^/]+)\/aggregated\/instances$/,
    "compute.instances.list",
    (p) => p.instances,
  ],
];

function forbidden(permission: string, project: string): ReplayResponse {
  const message = `Required '${permission}' permission for 'projects/${project}'`;
  return json(403, {
    error: {
      code: 403,
      message,
      errors: [{ message, domain: "global", reason: "forbidden" }],
      status: "PERMISSION_DENIED",
    },
  });
}

function api(world: GcpWorld, tokens: Map<string, GcpServiceAccount>, request: ReplayRequest) {
  const bearer = /^Bearer (.+)$/.exec(String(request.headers.authorization ?? ""))?.[1];
  const account = bearer ? tokens.get(bearer) : undefined;
  if (!account)
    return json(401, {
      error: {
        code: 401,
        message: "Request had invalid authentication credentials.",
        status: "UNAUTHENTICATED",
      },
    });
  const pageToken = request.url.searchParams.get("pageToken");

  if (request.url.pathname === "/storage/v1/b") {
    const projectId = request.url.searchParams.get("project") ?? "";
    const project = world.projects[projectId];
    if (!project || !account.projects.includes(projectId))
      return forbidden("storage.buckets.list", projectId);
    const result = page(project.buckets, pageToken, world.pageSize);
    return json(200, {
      kind: "storage#buckets",
      items: result.items,
      ...(result.next ? { nextPageToken: result.next } : {}),
    });
  }
  for (const [pattern, permission, pick] of ROUTES) {
    const projectId = pattern.exec(request.url.pathname)?.[1];
    if (projectId === undefined) continue;
    const project = world.projects[projectId];
    if (!project || !account.projects.includes(projectId)) return forbidden(permission, projectId);
    return listAnswer(pick(project), pageToken, world.pageSize);
  }
  return json(404, {
    error: { code: 404, message: `no replay for ${request.url.pathname}`, status: "NOT_FOUND" },
  });
}

/** Pages a plain list, or an aggregated map by its scopes (one scope per page entry). */
function listAnswer(items: unknown, pageToken: string | null, size: number): ReplayResponse {
  if (Array.isArray(items)) {
    const result = page(items, pageToken, size);
    return json(200, {
      items: result.items,
      ...(result.next ? { nextPageToken: result.next } : {}),
    });
  }
  const scopes = Object.entries(items as Record<string, unknown[]>);
  const result = page(scopes, pageToken, size);
  const field = (list: unknown[]) =>
    (list[0] as { kind?: string } | undefined)?.kind === "compute#subnetwork"
      ? "subnetworks"
      : "instances";
  const aggregated = Object.fromEntries(
    result.items.map(([scope, list]) => [scope, { [field(list)]: list }]),
  );
  return json(200, { items: aggregated, ...(result.next ? { nextPageToken: result.next } : {}) });
}
