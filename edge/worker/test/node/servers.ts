import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { generateSigningKeyPair, type SigningKeyPair, signBundle } from "@ringfence/engine/bundle";
import { CONTROL_PATHS } from "@ringfence/engine/control";
import {
  createMemoryReplayCache,
  createOriginVerifier,
  ORIGIN_SIGNATURE_HEADER,
} from "../../src/origin/index.ts";

/** A Node HTTP server on 127.0.0.1 with an ephemeral port. */
export async function listen(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

async function readBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** What the origin answers for a programmed path. */
interface OriginAnswer {
  status: number;
  contentType: string;
  body: string;
}

/**
 * The protected origin: it serves only requests whose lock-down signature verifies, exactly as
 * a customer's origin using the helper would, and echoes what it received so tests can see it.
 */
export async function startOrigin(secret: string) {
  const verify = createOriginVerifier({
    secrets: [secret],
    replayCache: createMemoryReplayCache(),
  });
  // Answers the conformance corpus gives for a path (`origin` in a case), set by the test
  // through `/__origin/answer?path=…` before it sends the request.
  const answers = new Map<string, OriginAnswer>();
  return listen(async (request, response) => {
    const body = await readBody(request);
    const url = new URL(request.url ?? "/", "http://origin.invalid");
    if (url.pathname === "/__origin/answer") {
      answers.set(url.searchParams.get("path") ?? "", JSON.parse(body.toString("utf8")));
      return sendJson(response, 200, { answers: answers.size });
    }
    const verdict = await verify({
      method: request.method ?? "GET",
      host: request.headers.host ?? "",
      path: request.url ?? "/",
      signature: request.headers[ORIGIN_SIGNATURE_HEADER] as string | undefined,
    });
    if (!verdict.ok) {
      sendJson(response, 401, { refused: verdict.reason });
      return;
    }
    const answer = answers.get(request.url ?? "/");
    if (answer !== undefined) {
      response.writeHead(answer.status, { "content-type": answer.contentType });
      return response.end(answer.body);
    }
    const echo = {
      method: request.method,
      path: request.url,
      requestId: verdict.requestId,
      headers: request.headers,
      bodyLength: body.length,
      body: body.toString("utf8").slice(0, 2048),
    };
    sendJson(response, 200, echo, { "x-origin": "yes" });
  });
}

/** What the stand-in control plane holds for one enforcer credential (one test's tenant). */
interface Tenant {
  bundle: { envelope: unknown; hash: string; version: number } | undefined;
  events: unknown[];
  statuses: unknown[];
  failNextEvents: number;
  bundlePolls: number;
}

interface ControlState {
  keys: SigningKeyPair;
  organizationId: string;
  tenants: Map<string, Tenant>;
}

function tenantOf(state: ControlState, credential: string): Tenant {
  let tenant = state.tenants.get(credential);
  if (tenant === undefined) {
    tenant = { bundle: undefined, events: [], statuses: [], failNextEvents: 0, bundlePolls: 0 };
    state.tenants.set(credential, tenant);
  }
  return tenant;
}

/**
 * A stand-in for the control plane's enforcer endpoints (docs/contract.md): bundle poll with
 * ETag/If-None-Match, events intake. It signs with a real key through the engine. Each enforcer
 * credential gets state of its own, so test files running side by side do not interfere; tests
 * steer it through `/__test/<credential>/…`.
 */
export async function startControlPlane(organizationId: string) {
  const state: ControlState = {
    keys: await generateSigningKeyPair(),
    organizationId,
    tenants: new Map(),
  };
  const started = await listen((request, response) => {
    route(state, request, response).catch((error: unknown) => {
      sendJson(response, 500, { code: "internal", detail: String(error) });
    });
  });
  return { ...started, state };
}

async function route(state: ControlState, request: IncomingMessage, response: ServerResponse) {
  const url = new URL(request.url ?? "/", "http://control.invalid");
  const bearer = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
  if (url.pathname === `/${CONTROL_PATHS.bundle}` && bearer !== undefined) {
    return serveBundle(tenantOf(state, bearer), request, response);
  }
  if (url.pathname === `/${CONTROL_PATHS.events}` && bearer !== undefined) {
    return takeEvents(tenantOf(state, bearer), request, response);
  }
  if (url.pathname === `/${CONTROL_PATHS.status}` && bearer !== undefined) {
    tenantOf(state, bearer).statuses.push(JSON.parse((await readBody(request)).toString("utf8")));
    response.writeHead(204);
    return response.end();
  }

  const admin = /^\/__test\/([^/]+)\/(publish|serve|events|statuses|fail-events|stats)$/.exec(
    url.pathname,
  );
  if (admin?.[1] === undefined) return sendJson(response, 404, { code: "not-found" });
  const tenant = tenantOf(state, decodeURIComponent(admin[1]));
  switch (admin[2]) {
    case "publish":
      return publish(state, tenant, await readBody(request), response);
    case "serve":
      // Serves an envelope published before: a rollback to an older signed version.
      tenant.bundle = JSON.parse((await readBody(request)).toString("utf8")) as Tenant["bundle"];
      return sendJson(response, 200, { version: tenant.bundle?.version });
    case "events":
      return sendJson(response, 200, { events: tenant.events });
    case "statuses":
      return sendJson(response, 200, { statuses: tenant.statuses });
    case "fail-events":
      tenant.failNextEvents = Number(url.searchParams.get("n") ?? "0");
      return sendJson(response, 200, { failNextEvents: tenant.failNextEvents });
    default:
      return sendJson(response, 200, { bundlePolls: tenant.bundlePolls });
  }
}

function serveBundle(tenant: Tenant, request: IncomingMessage, response: ServerResponse) {
  tenant.bundlePolls += 1;
  const bundle = tenant.bundle;
  if (bundle === undefined) return sendJson(response, 404, { code: "no-bundle" });
  if (request.headers["if-none-match"] === `"${bundle.hash}"`) {
    response.writeHead(304, { etag: `"${bundle.hash}"` });
    return response.end();
  }
  const headers = { etag: `"${bundle.hash}"`, "x-ringfence-bundle-version": bundle.version };
  sendJson(response, 200, bundle.envelope, headers);
}

async function takeEvents(tenant: Tenant, request: IncomingMessage, response: ServerResponse) {
  const body = JSON.parse((await readBody(request)).toString("utf8")) as { events: unknown[] };
  if (tenant.failNextEvents > 0) {
    tenant.failNextEvents -= 1;
    return sendJson(response, 503, { code: "unavailable" });
  }
  tenant.events.push(...body.events);
  sendJson(response, 200, { accepted: body.events.length, duplicates: 0 });
}

async function publish(
  state: ControlState,
  tenant: Tenant,
  body: Buffer,
  response: ServerResponse,
) {
  const policy = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  const version = (tenant.bundle?.version ?? 0) + 1;
  const payload = {
    format: 1 as const,
    organizationId: state.organizationId,
    version,
    createdAt: new Date().toISOString(),
    policy,
    keys: {},
  };
  const signed = await signBundle(payload, state.keys.privateKey, state.keys.keyId);
  tenant.bundle = { envelope: signed.envelope, hash: signed.hash, version };
  sendJson(response, 200, { version, hash: signed.hash, envelope: signed.envelope });
}
