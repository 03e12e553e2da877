import type { DecisionEvent } from "@ringfence/engine/documents";
import type { Detection } from "@ringfence/engine/inspect";
import type { Decision, Flow } from "../enforce.ts";

/** What one request came to, for its decision event. */
export interface RequestOutcome {
  requestId: string;
  enforcerId: string;
  flow: Flow;
  decision: Decision | undefined;
  action: "allow" | "deny" | "monitor";
  status: number;
  detections?: readonly Detection[];
  kind?: DecisionEvent["kind"];
}

// The inspection engine says what a profile does (block, redact, log); the event vocabulary
// says what happened to the traffic (deny, monitor).
const DETECTION_ACTION = { block: "deny", redact: "monitor", log: "monitor" } as const;

/** Builds the decision event of one request in the shared schema (engine documents). */
export function decisionEvent(outcome: RequestOutcome): DecisionEvent {
  const { flow, decision } = outcome;
  const destination = decision?.reasons.destination;
  const event: DecisionEvent = {
    schemaVersion: 1,
    id: outcome.kind === "detection" ? crypto.randomUUID() : outcome.requestId,
    time: new Date().toISOString(),
    enforcer: { id: outcome.enforcerId, kind: "worker" },
    kind: outcome.kind ?? "request",
    action: outcome.action,
    src: { ip: flow.srcIp },
    dst: { port: flow.dstPort, ...(flow.dstHost === undefined ? {} : { host: flow.dstHost }) },
    // Only the path: query strings carry tokens and personal data often enough to keep out.
    http: {
      method: (flow.method ?? "GET").slice(0, 32),
      url: (flow.path ?? "/").split("?")[0]?.slice(0, 8192) ?? "/",
      status: outcome.status,
    },
    reasons: {
      ...(decision?.ruleId === undefined ? {} : { ruleId: decision.ruleId }),
      ...(decision?.ruleSetId === undefined ? {} : { ruleSetId: decision.ruleSetId }),
      sourceObjects: [...(decision?.reasons.sourceObjects ?? [])],
      ...(destination === undefined
        ? {}
        : { destination: `${destination.type}:${destination.id}` }),
      mode: decision?.mode ?? "forwarding",
      monitor: decision?.monitor ?? false,
      ...(decision?.reasons.default === true ? { default: true } : {}),
      ...(decision?.reasons.refused === undefined ? {} : { refused: decision.reasons.refused }),
    },
  };
  if (outcome.detections !== undefined && outcome.detections.length > 0) {
    event.detections = outcome.detections.map((d) => ({
      id: d.id,
      category: String(d.category),
      location: d.location,
      evidence: d.evidence.slice(0, 4096),
      severity: d.severity,
      action: DETECTION_ACTION[d.action],
    }));
  }
  return event;
}
