import { z } from "zod";
import { isIp } from "../net/index.ts";
import { parseDocument } from "./errors.ts";

const ipString = z.string().refine(isIp, { message: "not a valid IPv4 or IPv6 address" });
const port = z.number().int().min(0).max(65535);

/** Severities of a detection, in increasing order. */
export const SEVERITIES = ["low", "medium", "high", "critical"] as const;
export type Severity = (typeof SEVERITIES)[number];

/** One finding of an inspection profile. Evidence is redacted before it reaches the event. */
export const detectionSchema = z.strictObject({
  id: z.string().min(1),
  category: z.string().min(1),
  location: z.string().min(1),
  evidence: z.string().max(4096),
  severity: z.enum(SEVERITIES),
  action: z.enum(["allow", "deny", "monitor"]),
});

/** Why a decision came out as it did, in machine-readable form. */
export const eventReasonsSchema = z.strictObject({
  ruleId: z.string().optional(),
  ruleSetId: z.string().optional(),
  sourceObjects: z.array(z.string()),
  destination: z.string().optional(),
  mode: z.enum(["forwarding", "proxy"]),
  monitor: z.boolean(),
  default: z.boolean().optional(),
  /** Why the flow was denied before any rule was evaluated (Decision.reasons.refused). */
  refused: z.string().optional(),
});

/**
 * The one decision event every enforcer emits (gateway, worker, CLI simulation), version 1.
 * The report layer serialises it to OCSF; this shape is the internal contract.
 */
export const decisionEventSchema = z.strictObject({
  schemaVersion: z.literal(1),
  id: z.uuid(),
  time: z.iso.datetime({ offset: true }),
  enforcer: z.strictObject({
    id: z.string().min(1),
    kind: z.enum(["gateway", "worker", "cli", "control-plane"]),
  }),
  kind: z.enum(["connection", "request", "detection"]),
  action: z.enum(["allow", "deny", "monitor"]),
  src: z.strictObject({ ip: ipString, port: port.optional() }),
  dst: z.strictObject({
    host: z.string().min(1).max(253).optional(),
    ip: ipString.optional(),
    port,
    sni: z.string().min(1).max(253).optional(),
  }),
  http: z
    .strictObject({
      method: z.string().min(1).max(32),
      url: z.string().max(8192),
      status: z.number().int().min(100).max(599).optional(),
    })
    .optional(),
  reasons: eventReasonsSchema,
  detections: z.array(detectionSchema).optional(),
  bytes: z.strictObject({ in: z.number().int().min(0), out: z.number().int().min(0) }).optional(),
});

export type Detection = z.output<typeof detectionSchema>;
export type EventReasons = z.output<typeof eventReasonsSchema>;
export type DecisionEvent = z.output<typeof decisionEventSchema>;

/** Validates a decision event; throws a DocumentError listing every problem by path. */
export function parseDecisionEvent(input: unknown): DecisionEvent {
  return parseDocument(decisionEventSchema, "decision event", input);
}
