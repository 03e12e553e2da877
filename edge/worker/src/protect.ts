import type { DecisionEvent } from "@ringfence/engine/documents";
import type { Context } from "hono";
import type { AppEnv } from "./app.ts";
import { type Decision, type Flow, flowOf } from "./enforce.ts";
import { buildOriginRequest } from "./forward.ts";
import { problem } from "./problem.ts";

type Ctx = Context<AppEnv>;

/**
 * The protected path: decide on the flow with the verified bundle, refuse with a 403 problem or
 * forward to the origin with the lock-down signature, and queue one event either way. Without a
 * verified bundle the answer is 503: the worker never forwards unchecked traffic.
 */
export async function handleProtected(c: Ctx): Promise<Response> {
  const requestId = c.get("requestId");
  const runtime = c.get("runtime");
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);

  const clientIp = c.req.header("cf-connecting-ip");
  if (clientIp === undefined || clientIp === "") {
    return problem("no-client-address", requestId);
  }

  const bundle = await runtime.bundles.get(waitUntil);
  if (bundle === undefined) {
    return problem("no-policy", requestId);
  }

  const flow = flowOf(c.req.raw, clientIp);
  const decision = bundle.value.decide(flow);
  if (decision.action === "deny" && !decision.monitor) {
    record(c, flow, decision, 403);
    return problem("denied", requestId, ruleIdOf(decision));
  }

  const response = await forward(c, clientIp);
  record(c, flow, decision, response.status);
  return response;
}

async function forward(c: Ctx, clientIp: string): Promise<Response> {
  const runtime = c.get("runtime");
  const requestId = c.get("requestId");
  const originRequest = await buildOriginRequest({
    request: c.req.raw,
    body: c.req.raw.body,
    originUrl: runtime.config.originUrl,
    originKey: await runtime.originKey,
    requestId,
    clientIp,
  });

  let upstream: Response;
  try {
    upstream = await fetch(originRequest);
  } catch (error) {
    console.error(JSON.stringify({ msg: "origin unreachable", requestId, error: String(error) }));
    return problem("origin-unreachable", requestId);
  }
  const response = new Response(upstream.body, upstream);
  response.headers.set("x-request-id", requestId);
  return response;
}

function ruleIdOf(decision: Decision): { ruleId?: string } {
  return decision.ruleId === undefined ? {} : { ruleId: decision.ruleId };
}

/** Queues the request's decision event and makes sure a flush outlives the response. */
function record(c: Ctx, flow: Flow, decision: Decision, status: number): void {
  const runtime = c.get("runtime");
  const sourceObjects = decision.reasons.sourceObjects;
  const event: DecisionEvent = {
    schemaVersion: 1,
    id: c.get("requestId"),
    time: new Date().toISOString(),
    enforcer: { id: runtime.config.enforcerId, kind: "worker" },
    kind: "request",
    action: decision.action === "deny" ? (decision.monitor ? "monitor" : "deny") : "allow",
    src: { ip: flow.srcIp },
    dst: { port: flow.dstPort, ...(flow.dstHost === undefined ? {} : { host: flow.dstHost }) },
    http: { method: flow.method ?? "GET", url: (flow.path ?? "/").slice(0, 8192), status },
    reasons: {
      ...ruleIdOf(decision),
      sourceObjects: Array.isArray(sourceObjects) ? sourceObjects.map(String) : [],
      mode: decision.mode,
      monitor: decision.monitor,
      ...(decision.reasons.default === true ? { default: true } : {}),
    },
  };
  runtime.events.add(event);
  c.executionCtx.waitUntil(runtime.events.flush());
}
