import type { PolicyIndex } from "./build-index.ts";
import { decide } from "./decide.ts";
import { type Decision, formAdmits } from "./decision.ts";
import { type Flow, normalizeFlow } from "./flow.ts";
import type { HostForm } from "./services.ts";

/**
 * What an enforcer that sees a connection before its requests (a CONNECT, a ClientHello) can
 * know: the decision on the connection alone, and the decisions that some request on it would
 * get instead because a rule needs the request path to match (a path-style S3 bucket, an fqdn
 * service with path prefixes). A rule whose host form names a path can never match a flow
 * without one, so `decision` alone would deny connections that a request inside may be allowed.
 */
export interface ConnectionDecision {
  /** The decision on the flow as given (no path). */
  readonly decision: Decision;
  /**
   * Enforced decisions that differ from `decision` for a request whose path falls under a
   * host form of this connection, one per rule. Empty when no rule depends on
   * the request for this connection.
   */
  readonly byRequest: readonly Decision[];
}

/** Path-bearing host forms of a policy, gathered once per index. */
const pathForms = new WeakMap<PolicyIndex, readonly HostForm[]>();

function formsWithPaths(index: PolicyIndex): readonly HostForm[] {
  let forms = pathForms.get(index);
  if (!forms) {
    forms = index.policy.services.flatMap((s) => s.forms.filter((f) => f.pathPrefix !== null));
    pathForms.set(index, forms);
  }
  return forms;
}

/**
 * Decides a connection-level flow (no path) and, for every path prefix of a host form that
 * this connection's names reach, the flow with that path: the engine's own `decide` answers
 * each, so rule order, sources, ports and monitor rules mean exactly what they mean per
 * request. Throws FlowError on a malformed flow, like `decide`.
 */
export function decideConnection(index: PolicyIndex, flow: Flow): ConnectionDecision {
  const decision = decide(index, flow);
  const normalized = normalizeFlow(flow);
  const prefixes = new Set<string>();
  for (const form of formsWithPaths(index)) {
    const path = form.pathPrefix ?? "/";
    if (formAdmits(form, { ...normalized, path })) prefixes.add(path);
  }

  const byRule = new Map<string, Decision>();
  for (const path of prefixes) {
    const probed = decide(index, { ...flow, path });
    const key = probed.ruleId ?? "";
    if (probed.ruleId === decision.ruleId) continue;
    if (!byRule.has(key)) byRule.set(key, probed);
  }
  return { decision, byRequest: [...byRule.values()] };
}
