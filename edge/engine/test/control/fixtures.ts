import type { DecisionEvent } from "../../src/documents/index.ts";

/** One scripted answer: a status, headers and a JSON body, optionally after a delay. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Headers;
  body: string;
}

/**
 * A stand-in control plane speaking the wire contract from a script of replies, so the client
 * can be exercised before, and independently of, the real control plane. It is a Web-standard
 * handler: tests in workerd use it as the client's fetch, tests in Node serve it on loopback.
 */
export function scriptedControlPlane(replies: Reply[]) {
  const requests: RecordedRequest[] = [];
  const handler = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    requests.push({
      method: request.method,
      path: `${url.pathname}${url.search}`,
      headers: request.headers,
      body: await request.text(),
    });
    const reply = replies.shift() ?? { status: 500, body: { code: "script-exhausted" } };
    if (reply.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    }
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
  return { handler, requests };
}

/** A valid decision event with a fresh id. */
export function makeEvent(overrides: Partial<DecisionEvent> = {}): DecisionEvent {
  return {
    schemaVersion: 1,
    id: crypto.randomUUID(),
    time: new Date().toISOString(),
    enforcer: { id: "enf_1", kind: "gateway" },
    kind: "connection",
    action: "deny",
    src: { ip: "10.0.1.5" },
    dst: { host: "169.254.169.254", port: 80 },
    reasons: { sourceObjects: [], mode: "forwarding", monitor: false, default: true },
    ...overrides,
  };
}

/** Records the waits the retry policy asks for instead of sleeping through them. */
export function recordingSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { waits, sleep };
}
