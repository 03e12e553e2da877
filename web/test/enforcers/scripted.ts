import type { DecisionEvent } from "@ringfence/engine/documents";

/** One scripted answer: a status, headers and a JSON body, optionally after a delay. */
export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
}

/**
 * A stand-in control plane that answers from a script, for client behaviours the real control
 * plane cannot be made to show on demand (answering late, vanishing). Everything else is tested
 * against the real control plane.
 */
export function scriptedControlPlane(replies: Reply[]) {
  const bodies: string[] = [];
  const handler = async (request: Request): Promise<Response> => {
    bodies.push(await request.text());
    const reply = replies.shift() ?? { status: 500, body: { code: "script-exhausted" } };
    if (reply.delayMs !== undefined) {
      await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
    }
    const body = reply.body === undefined ? null : JSON.stringify(reply.body);
    return new Response(body, { status: reply.status, headers: reply.headers });
  };
  return { handler, bodies };
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
