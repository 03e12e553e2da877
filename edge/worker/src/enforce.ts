/**
 * The worker's view of the policy engine: the flow it builds from a request and the decision it
 * enforces. The types mirror `@ringfence/engine/policy`.
 */

/** What the worker knows about a request when it asks for a decision. */
export interface Flow {
  srcIp: string;
  dstHost?: string;
  dstPort: number;
  path?: string;
  method?: string;
}

/** The engine's answer, with machine-readable reasons. */
export interface Decision {
  action: "allow" | "deny";
  monitor: boolean;
  mode: "forwarding" | "proxy";
  ruleId?: string;
  profiles: string[];
  reasons: Record<string, unknown>;
}

/** A verified bundle's policy, compiled once per bundle version. */
export interface CompiledPolicy {
  decide(flow: Flow): Decision;
}

/**
 * Compiles a verified bundle's policy.
 * FIXME(engine): `@ringfence/engine/policy` (`resolvedPolicySchema`, `buildIndex`, `decide`) has
 * not landed yet; until it does every flow is denied, which is the fail-closed answer. Wiring
 * `buildIndex` here removes this.
 */
export function compilePolicy(_policy: unknown): CompiledPolicy {
  return {
    decide: () => ({
      action: "deny",
      monitor: false,
      mode: "forwarding",
      profiles: [],
      reasons: { default: true, engine: "pending" },
    }),
  };
}

/** The flow of an inbound request: client from CF-Connecting-IP, destination from the Host. */
export function flowOf(request: Request, clientIp: string): Flow {
  const url = new URL(request.url);
  // The policy speaks of the public service (443 or 80), not the port a local run listens on.
  return {
    srcIp: clientIp,
    dstHost: url.hostname.toLowerCase(),
    dstPort: url.protocol === "https:" ? 443 : 80,
    path: url.pathname,
    method: request.method,
  };
}
