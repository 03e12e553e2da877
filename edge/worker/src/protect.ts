import type { CompiledProfiles, Detection } from "@ringfence/engine/inspect";
import { FlowError } from "@ringfence/engine/policy";
import type { Context } from "hono";
import type { AppEnv } from "./app.ts";
import type { ActiveBundle } from "./bundle/store.ts";
import { type CompiledPolicy, type Decision, type Flow, flowOf } from "./enforce.ts";
import { decisionEvent, type RequestOutcome } from "./events/decision-event.ts";
import { buildOriginRequest } from "./forward.ts";
import {
  inspectInbound,
  MAX_INSPECTED_BODY_BYTES,
  readBounded,
  scanResponse,
} from "./inspection.ts";
import { problem } from "./problem.ts";

type Ctx = Context<AppEnv>;

/** A request on its way through the pipeline. */
interface Pass {
  c: Ctx;
  /** The request URL, parsed once for the decision, the inspection and the origin request. */
  url: URL;
  flow: Flow;
  decision: Decision;
  clientIp: string;
}

/**
 * The protected path: decide on the flow with the verified bundle; in proxy mode inspect the
 * request (and stream-inspect the response); refuse with a 403 problem or forward to the origin
 * with the lock-down signature; queue one event either way. Without a verified bundle the
 * answer is 503: the worker never forwards unchecked traffic.
 */
export async function handleProtected(c: Ctx): Promise<Response> {
  const requestId = c.get("requestId");
  const clientIp = c.req.header("cf-connecting-ip");
  if (clientIp === undefined || clientIp === "") return problem("no-client-address", requestId);

  const runtime = c.get("runtime");
  const waitUntil = (promise: Promise<unknown>) => c.executionCtx.waitUntil(promise);
  const bundle = await runtime.bundles.get(waitUntil);
  runtime.heartbeat.tick(waitUntil);
  if (bundle === undefined) return problem("no-policy", requestId);

  const url = new URL(c.req.raw.url);
  const flow = flowOf(c.req.raw, clientIp, url);
  const decision = decideSafely(bundle, flow);
  if (decision === undefined) return problem("bad-request", requestId);

  const pass: Pass = { c, url, flow, decision, clientIp };
  if (decision.action === "deny") {
    record(pass, { action: "deny", status: 403 });
    return problem("denied", requestId, ruleIdOf(decision));
  }

  const profiles = decision.mode === "proxy" ? bundle.value.profiles(decision.profiles) : undefined;
  return profiles === undefined ? forwardPlain(pass) : forwardInspected(pass, profiles);
}

function decideSafely(bundle: ActiveBundle<CompiledPolicy>, flow: Flow): Decision | undefined {
  try {
    return bundle.value.decide(flow);
  } catch (error) {
    // A malformed Host or client address cannot be decided on; it is refused, never guessed.
    if (error instanceof FlowError) return undefined;
    throw error;
  }
}

async function forwardPlain(pass: Pass): Promise<Response> {
  const response = await forward(pass, pass.c.req.raw.body);
  record(pass, { action: "allow", status: response.status });
  return withRequestId(response, pass.c.get("requestId"));
}

async function forwardInspected(pass: Pass, profiles: CompiledProfiles): Promise<Response> {
  const { c, decision } = pass;
  const requestId = c.get("requestId");
  const body = await readBounded(c.req.raw, MAX_INSPECTED_BODY_BYTES);
  if (body === undefined) {
    record(pass, { action: "deny", status: 413 });
    return problem("body-too-large", requestId);
  }

  const inbound = inspectInbound(profiles, c.req.raw, body, pass.clientIp, pass.url);
  if (inbound.action === "block") {
    record(pass, { action: "deny", status: 403, detections: inbound.detections });
    const detections = inbound.detections.filter((d) => d.action === "block").map((d) => d.id);
    return problem("denied", requestId, { ...ruleIdOf(decision), detections });
  }

  const upstream = await forward(pass, body);
  const action = inbound.action === "monitor" ? "monitor" : "allow";
  record(pass, { action, status: upstream.status, detections: inbound.detections });
  // Nothing scans responses for these profiles: the origin's stream goes out untouched.
  if (upstream.body === null || !scansResponses(profiles)) {
    return withRequestId(upstream, requestId);
  }

  const { response, done } = await scanResponse(profiles, upstream);
  response?.headers.set("x-request-id", requestId);
  c.executionCtx.waitUntil(
    done.then((verdict) => {
      if (verdict.detections.length === 0) return;
      const verdictAction = verdict.blocked ? "deny" : "monitor";
      record(pass, {
        action: verdictAction,
        status: upstream.status,
        ...verdict,
        kind: "detection",
      });
    }),
  );
  return response ?? problem("response-blocked", requestId, ruleIdOf(decision));
}

/** Sends the signed request to the origin; its answer as fetched, or a 502 problem. */
async function forward(pass: Pass, body: BodyInit | null): Promise<Response> {
  const { c } = pass;
  const runtime = c.get("runtime");
  const requestId = c.get("requestId");
  const originRequest = await buildOriginRequest({
    request: c.req.raw,
    url: pass.url,
    body,
    originUrl: runtime.config.originUrl,
    originKey: await runtime.originKey,
    requestId,
    clientIp: pass.clientIp,
  });
  try {
    return await fetch(originRequest);
  } catch (error) {
    console.error(JSON.stringify({ msg: "origin unreachable", requestId, error: String(error) }));
    return problem("origin-unreachable", requestId);
  }
}

/** The origin's answer with the request id (fetched responses have immutable headers). */
function withRequestId(upstream: Response, requestId: string): Response {
  const response = new Response(upstream.body, upstream);
  response.headers.set("x-request-id", requestId);
  return response;
}

function scansResponses(profiles: CompiledProfiles): boolean {
  return profiles.dlp.response.length > 0 || profiles.malware !== undefined;
}

function ruleIdOf(decision: Decision): { ruleId?: string } {
  return decision.ruleId === undefined ? {} : { ruleId: decision.ruleId };
}

type Recorded = Pick<RequestOutcome, "action" | "status" | "kind"> & {
  detections?: readonly Detection[];
};

/** Queues the request's decision event and makes sure a flush outlives the response. */
function record(pass: Pass, outcome: Recorded): void {
  const { c } = pass;
  const runtime = c.get("runtime");
  const event = decisionEvent({
    ...outcome,
    requestId: c.get("requestId"),
    enforcerId: runtime.config.enforcerId,
    flow: pass.flow,
    decision: pass.decision,
  });
  runtime.events.add(event);
  c.executionCtx.waitUntil(runtime.events.flush());
}
