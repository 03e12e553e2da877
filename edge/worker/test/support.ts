import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env as baseEnv } from "cloudflare:workers";
import { inject } from "vitest";
import { createApp } from "../src/app.ts";
import type { Env } from "../src/env.ts";

const app = createApp();
const credentials = new Map<string, string>();

/** One credential per tenant name within a file, so two enforcers can share a control plane. */
function credentialFor(name: string): string {
  let credential = credentials.get(name);
  if (credential === undefined) {
    credential = `rfe_${name.replaceAll("-", "_")}_${crypto.randomUUID().replaceAll("-", "")}`;
    credentials.set(name, credential);
  }
  return credential;
}
const controlPlane = inject("controlPlaneUrl");
const origin = inject("originUrl");

/** Makes the test origin answer `path` (with its query) with this body from now on. */
export async function originAnswers(
  path: string,
  answer: { status?: number; contentType?: string; body: string },
): Promise<void> {
  const programmed = { status: 200, contentType: "text/plain", ...answer };
  const url = `${origin}/__origin/answer?path=${encodeURIComponent(path)}`;
  await (await fetch(url, { method: "POST", body: JSON.stringify(programmed) })).arrayBuffer();
}

/**
 * One isolated enforcer for a test: its own credential (so the stand-in control plane keeps its
 * bundle and events apart), its own bindings object (so it gets a runtime of its own in this
 * isolate), and helpers to publish policy and read what reached the control plane.
 */
export function tenant(name: string, overrides: Partial<Env> = {}) {
  const credential = credentialFor(name);
  const env: Env = {
    ...(baseEnv as Env),
    ENFORCER_CREDENTIAL: credential,
    // The Cache API is shared by the whole file; the enforcer id keeps each tenant's copy apart.
    ENFORCER_ID: `edge-${name}`,
    ...overrides,
  };
  const admin = (path: string, init?: RequestInit) =>
    fetch(`${controlPlane}/__test/${encodeURIComponent(credential)}/${path}`, init);

  return {
    env,
    async publish(policy: unknown): Promise<{ version: number; hash: string; envelope: unknown }> {
      const response = await admin("publish", { method: "POST", body: JSON.stringify(policy) });
      return response.json();
    },
    /** Makes the control plane serve an envelope published earlier (a rollback). */
    async serve(bundle: { version: number; hash: string; envelope: unknown }): Promise<void> {
      await (await admin("serve", { method: "POST", body: JSON.stringify(bundle) })).arrayBuffer();
    },
    async statuses(): Promise<Record<string, unknown>[]> {
      const answer = await admin("statuses");
      return (await answer.json<{ statuses: Record<string, unknown>[] }>()).statuses;
    },
    async events(): Promise<Record<string, unknown>[]> {
      return (await (await admin("events")).json<{ events: Record<string, unknown>[] }>()).events;
    },
    async failNextEvents(count: number): Promise<void> {
      await admin(`fail-events?n=${count}`, { method: "POST" });
    },
    async bundlePolls(): Promise<number> {
      return (await (await admin("stats")).json<{ bundlePolls: number }>()).bundlePolls;
    },
    /**
     * Sends a request through the worker, reads the whole answer and waits for everything the
     * worker left in waitUntil. A path
     * goes to https://app.example.test; an absolute URL is used as it is.
     */
    async call(target: string, init: RequestInit & { clientIp?: string } = {}): Promise<Response> {
      const headers = new Headers(init.headers);
      headers.set("cf-connecting-ip", init.clientIp ?? "203.0.113.7");
      const url = target.startsWith("/") ? `https://app.example.test${target}` : target;
      const request = new Request(url, { ...init, headers });
      const ctx = createExecutionContext();
      const response = await app.fetch(request, env, ctx);
      // The body is read first: response inspection settles (and records) only when it ends.
      const body = await readAll(response);
      await waitOnExecutionContext(ctx);
      return new Response(body, response);
    },
  };
}

/** Reads a body chunk by chunk; a body the worker cut off yields what arrived before the cut. */
async function readAll(response: Response): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  const reader = response.body?.getReader();
  try {
    for (;;) {
      const next = await reader?.read();
      if (next === undefined || next.done) break;
      chunks.push(next.value);
    }
  } catch {
    // The worker errors the stream when inspection blocks a response; the test sees the cut.
  }
  const total = chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0);
  const body = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    body.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return body;
}
