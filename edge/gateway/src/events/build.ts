import { randomUUID } from "node:crypto";
import type { DecisionEvent, Detection, EventReasons } from "@ringfence/engine/documents";
import type { Decision } from "../engine/policy.ts";

/** Where a flow came from and where it was going, as the gateway saw it. */
export type FlowEnds = {
  src: { ip: string; port?: number };
  dst: { host?: string; ip?: string; port: number; sni?: string };
};

/** Everything needed to describe one decision as an event. */
export type DecisionFacts = FlowEnds & {
  enforcerId: string;
  kind: DecisionEvent["kind"];
  decision: Decision | undefined;
  /** Gateway-level findings (framing, TLS anomalies, egress blocks) that override an allow. */
  findings?: Detection[];
  http?: DecisionEvent["http"];
  bytes?: DecisionEvent["bytes"];
};

/** A finding raised by the gateway itself rather than by an inspection profile. */
export function gatewayFinding(id: string, category: string, location: string): Detection {
  return {
    id: `gateway.${id}`,
    category,
    location,
    evidence: "",
    severity: "high",
    action: "deny",
  };
}

function reasonsOf(decision: Decision | undefined): EventReasons {
  const destination = decision?.reasons.destination;
  return {
    ruleId: decision?.ruleId,
    ruleSetId: decision?.ruleSetId,
    sourceObjects: [...(decision?.reasons.sourceObjects ?? [])],
    destination: destination ? `${destination.type}:${destination.id}` : undefined,
    mode: decision?.mode ?? "forwarding",
    monitor: decision?.monitor ?? false,
    default: decision === undefined || decision.reasons.default,
    refused: decision?.reasons.refused,
  };
}

/** The action recorded: any gateway finding denies, otherwise the engine's decision stands. */
export function actionOf(
  facts: Pick<DecisionFacts, "decision" | "findings">,
): DecisionEvent["action"] {
  if ((facts.findings ?? []).some((finding) => finding.action === "deny")) return "deny";
  if (!facts.decision) return "deny";
  if (facts.decision.monitor) return "monitor";
  return facts.decision.action;
}

// Events of one millisecond share its timestamp text instead of formatting it once each.
let clockMs = Number.NaN;
let clockText = "";

function isoNow(): string {
  const now = Date.now();
  if (now !== clockMs) {
    clockMs = now;
    clockText = new Date(now).toISOString();
  }
  return clockText;
}

/** Builds one decision event in the shared schema (validated by the spool before it ships). */
export function buildEvent(facts: DecisionFacts): DecisionEvent {
  const event: DecisionEvent = {
    schemaVersion: 1,
    id: randomUUID(),
    time: isoNow(),
    enforcer: { id: facts.enforcerId, kind: "gateway" },
    kind: facts.kind,
    action: actionOf(facts),
    src: facts.src,
    dst: facts.dst,
    reasons: reasonsOf(facts.decision),
  };
  if (facts.http) event.http = facts.http;
  if (facts.findings && facts.findings.length > 0) event.detections = facts.findings;
  if (facts.bytes) event.bytes = facts.bytes;
  return event;
}
