import type { EventReasons } from "../documents/event.ts";
import type { NormalizedFlow } from "./flow.ts";
import { hostMatches, pathUnder } from "./hosts.ts";
import type { HostTerm, ResolvedRule, ResolvedRuleSet } from "./resolved.ts";
import type { HostForm } from "./services.ts";

/** Which destination of a rule matched, and how. */
export interface DestinationMatch {
  readonly type: "object" | "service";
  readonly id: string;
  /** `address` (by IP), `fqdn` (by host pattern), or the service host form name. */
  readonly form: string;
  /** The address, pattern or host form (with path prefix) that matched. */
  readonly matched: string;
}

/** A monitor rule that matched ahead of the enforced decision. */
export interface MonitorHit {
  readonly ruleId: string;
  readonly ruleSetId: string;
  readonly action: "allow" | "deny";
  readonly mode: "forwarding" | "proxy";
}

/** The verdict on a flow with its machine-readable reasons. */
export interface Decision {
  readonly action: "allow" | "deny";
  /** True when at least one monitor rule matched before the enforced decision. */
  readonly monitor: boolean;
  readonly mode: "forwarding" | "proxy";
  readonly ruleId?: string;
  readonly ruleSetId?: string;
  readonly profiles: readonly string[];
  readonly reasons: {
    readonly sourceObjects: readonly string[];
    readonly destination?: DestinationMatch;
    readonly default: boolean;
    /**
     * Set when the flow was denied before any rule was looked at, naming why (a path-style
     * S3 request with a dot segment in its path; see flow.ts). No rule or default decided.
     */
    readonly refused?: string;
  };
  /** Monitor rules that matched, in evaluation order. */
  readonly monitored: readonly MonitorHit[];
}

/** True when a name belongs to a host term: some include matches, no exclude does. */
export function termHas(term: HostTerm, name: string): boolean {
  return (
    term.include.some((p) => hostMatches(p, name)) &&
    !term.exclude.some((p) => hostMatches(p, name))
  );
}

/**
 * True when a host form admits every name and the path (for path-style forms). The first
 * `known` names are taken as already matched (the index found the form by the first name).
 */
export function formAdmits(form: HostForm, flow: NormalizedFlow, known = 0): boolean {
  if (flow.names.length === 0) return false;
  for (let i = known; i < flow.names.length; i++)
    if (!hostMatches(form.host, flow.names[i] ?? "")) return false;
  if (form.pathPrefix === null) return true;
  return flow.path !== undefined && pathUnder(form.pathPrefix, flow.path);
}

/** The index just past the last rule that can decide, and the set whose default applies. */
export function decisiveSet(ruleSets: readonly ResolvedRuleSet[]): { end: number; set: number } {
  let end = 0;
  for (let s = 0; s < ruleSets.length; s++) {
    end += ruleSets[s]?.rules.length ?? 0;
    if (ruleSets[s]?.defaultAction !== "next") return { end, set: s };
  }
  return { end, set: ruleSets.length - 1 };
}

/** Builds the decision of a matching rule. */
export function ruleDecision(
  rule: ResolvedRule,
  ruleSetId: string,
  sourceObjects: readonly string[],
  destination: DestinationMatch | undefined,
  monitored: MonitorHit[],
): Decision {
  return {
    action: rule.action,
    monitor: monitored.length > 0,
    mode: rule.mode,
    ruleId: rule.id,
    ruleSetId,
    profiles: rule.profiles,
    reasons: destination
      ? { sourceObjects, destination, default: false }
      : { sourceObjects, default: false },
    monitored,
  };
}

/** Builds the decision of a rule set's default action. */
export function defaultDecision(
  ruleSet: ResolvedRuleSet | undefined,
  sourceObjects: readonly string[],
  monitored: MonitorHit[],
): Decision {
  const action = ruleSet?.defaultAction === "allow" ? "allow" : "deny";
  return {
    action,
    monitor: monitored.length > 0,
    mode: "forwarding",
    ...(ruleSet ? { ruleSetId: ruleSet.id } : {}),
    profiles: [],
    reasons: { sourceObjects, default: true },
    monitored,
  };
}

/** Builds the deny of a flow refused before evaluation (`NormalizedFlow.refused`). */
export function refusedDecision(refused: string, sourceObjects: readonly string[]): Decision {
  return {
    action: "deny",
    monitor: false,
    mode: "forwarding",
    profiles: [],
    reasons: { sourceObjects, default: false, refused },
    monitored: [],
  };
}

/** The text form of a destination match used in events: `service:data-bucket s3:path-style`. */
export function formatDestination(destination: DestinationMatch): string {
  return `${destination.type}:${destination.id} ${destination.form}`;
}

/** The `reasons` block of a decision event, built from a decision. */
export function eventReasons(decision: Decision): EventReasons {
  const { destination } = decision.reasons;
  return {
    ...(decision.ruleId ? { ruleId: decision.ruleId } : {}),
    ...(decision.ruleSetId ? { ruleSetId: decision.ruleSetId } : {}),
    sourceObjects: [...decision.reasons.sourceObjects],
    ...(destination ? { destination: formatDestination(destination) } : {}),
    mode: decision.mode,
    monitor: decision.monitor,
    default: decision.reasons.default,
    ...(decision.reasons.refused ? { refused: decision.reasons.refused } : {}),
  };
}
