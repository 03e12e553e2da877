/**
 * The gateway's view of the policy engine. The decision types mirror `@ringfence/engine/policy`;
 * the gateway holds one `PolicyHandle` at a time and swaps it atomically when a new bundle is
 * verified, so a connection decides against one consistent index from start to finish.
 */

/** What the gateway knows about a flow when it asks for a decision. */
export type Flow = {
  srcIp: string;
  dstHost?: string;
  dstIp?: string;
  dstPort: number;
  sni?: string;
  path?: string;
  method?: string;
};

/** The engine's answer, with machine-readable reasons. */
export type Decision = {
  action: "allow" | "deny";
  monitor: boolean;
  mode: "forwarding" | "proxy";
  ruleId?: string;
  profiles: string[];
  reasons: Record<string, unknown>;
};

/** One enforceable policy: the compiled index of a verified bundle, or the fail-closed stand-in. */
export type PolicyHandle = {
  /** Bundle version enforced, 0 when none was ever verified. */
  version: number;
  decide(flow: Flow): Decision;
};

/**
 * The policy enforced before any bundle has been verified (and when the configuration says to
 * fail closed): every flow is denied with a reason that says why.
 */
export const FAIL_CLOSED: PolicyHandle = {
  version: 0,
  decide: () => ({
    action: "deny",
    monitor: false,
    mode: "forwarding",
    profiles: [],
    reasons: { default: true, noBundle: true },
  }),
};

/** Holds the current policy; `swap` replaces it without touching open connections. */
export class PolicyHolder {
  private handle: PolicyHandle;

  constructor(initial: PolicyHandle = FAIL_CLOSED) {
    this.handle = initial;
  }

  get current(): PolicyHandle {
    return this.handle;
  }

  swap(next: PolicyHandle): void {
    this.handle = next;
  }
}
