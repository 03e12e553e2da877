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

/**
 * The protected origin: it serves only requests whose lock-down signature verifies, exactly as
 * a customer's origin using the helper would, and echoes what it received so tests can see it.
 */
export async function startOrigin(secret: string) {
  const verify = createOriginVerifier({
    secrets: [secret],
    replayCache: createMemoryReplayCache(),
  });
  return listen(async (request, response) => {
    const body = await readBody(request);
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

/** State of the stand-in control plane that tests steer through its `/__test/` paths. */
interface ControlState {
  keys: SigningKeyPair;
  organizationId: string;
  bundle: { envelope: unknown; hash: string; version: number } | undefined;
  events: unknown[];
  failNextEvents: number;
  bundlePolls: number;
}

/**
 * A stand-in for the control plane's enforcer endpoints (docs/contract.md): bundle poll with
 * ETag/If-None-Match, events intake. It signs with a real key through the engine.
 */
export async function startControlPlane(organizationId: string) {
  const state: ControlState = {
    keys: await generateSigningKeyPair(),
    organizationId,
    bundle: undefined,
    events: [],
    failNextEvents: 0,
    bundlePolls: 0,
  };
  const started = await listen((request, response) => {
    void route(state, request, response);
  });
  return { ...started, state };
}

async function route(state: ControlState, request: IncomingMessage, response: ServerResponse) {
  const path = new URL(request.url ?? "/", "http://control.invalid").pathname;
  if (path === `/${CONTROL_PATHS.bundle}`) return serveBundle(state, request, response);
  if (path === `/${CONTROL_PATHS.events}`) return takeEvents(state, request, response);
  if (path === "/__test/publish") return publish(state, await readBody(request), response);
  if (path === "/__test/events") return sendJson(response, 200, { events: state.events });
  if (path === "/__test/fail-events") {
    state.failNextEvents = Number(new URL(request.url ?? "", "http://x").searchParams.get("n"));
    return sendJson(response, 200, { ok: true });
  }
  if (path === "/__test/stats") return sendJson(response, 200, { bundlePolls: state.bundlePolls });
  sendJson(response, 404, { code: "not-found" });
}

function serveBundle(state: ControlState, request: IncomingMessage, response: ServerResponse) {
  state.bundlePolls += 1;
  const bundle = state.bundle;
  if (bundle === undefined) return sendJson(response, 404, { code: "no-bundle" });
  if (request.headers["if-none-match"] === `"${bundle.hash}"`) {
    response.writeHead(304, { etag: `"${bundle.hash}"` });
    return response.end();
  }
  sendJson(response, 200, bundle.envelope, { etag: `"${bundle.hash}"` });
}

async function takeEvents(state: ControlState, request: IncomingMessage, response: ServerResponse) {
  const body = JSON.parse((await readBody(request)).toString("utf8")) as { events: unknown[] };
  if (state.failNextEvents > 0) {
    state.failNextEvents -= 1;
    return sendJson(response, 503, { code: "unavailable" });
  }
  state.events.push(...body.events);
  sendJson(response, 200, { accepted: body.events.length, duplicates: 0 });
}

async function publish(state: ControlState, body: Buffer, response: ServerResponse) {
  const policy = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
  const version = (state.bundle?.version ?? 0) + 1;
  const payload = {
    format: 1 as const,
    organizationId: state.organizationId,
    version,
    createdAt: new Date().toISOString(),
    policy,
    keys: {},
  };
  const signed = await signBundle(payload, state.keys.privateKey, state.keys.keyId);
  state.bundle = { envelope: signed.envelope, hash: signed.hash, version };
  sendJson(response, 200, { version, hash: signed.hash, envelope: signed.envelope });
}
