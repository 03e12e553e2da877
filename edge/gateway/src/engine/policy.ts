import {
  buildIndex,
  type ConnectionDecision,
  type Decision,
  decide,
  decideConnection,
  type Flow,
  FlowError,
  parseResolvedPolicy,
} from "@ringfence/engine/policy";
import { ProfileCache } from "./inspection.ts";

/**
 * The gateway's view of the policy engine. The gateway holds one `PolicyHandle` at a time and
 * swaps it atomically when a new bundle is verified, so a connection decides against one
 * consistent index from start to finish.
 */
export type { ConnectionDecision, Decision, Flow };

/** One enforceable policy: the compiled index of a verified bundle, or the fail-closed stand-in. */
export type PolicyHandle = {
  /** Bundle version enforced, 0 when none was ever verified. */
  version: number;
  decide(flow: Flow): Decision;
  /**
   * Decides a connection before its requests are seen (CONNECT, ClientHello), with the
   * decisions a request on it could get instead from rules that need its path.
   */
  decideConnection(flow: Flow): ConnectionDecision;
  /** Compiled inspection profiles for a decision's profile ids (undefined when none). */
  profiles?: ProfileCache;
};

function denyAll(): Decision {
  return {
    action: "deny",
    monitor: false,
    mode: "forwarding",
    profiles: [],
    reasons: { sourceObjects: [], default: true },
    monitored: [],
  };
}

/**
 * The policy enforced before any bundle has been verified (and when the configuration says to
 * fail closed): every flow is denied by default.
 */
export const FAIL_CLOSED: PolicyHandle = {
  version: 0,
  decide: () => denyAll(),
  decideConnection: () => ({ decision: denyAll(), byRequest: [] }),
};

/**
 * The opt-in alternative (`failClosed: false`): allow in forwarding mode until a bundle is
 * verified. The egress guard still refuses metadata and unlisted internal destinations.
 */
export const FAIL_OPEN: PolicyHandle = {
  version: 0,
  decide: () => ({ ...denyAll(), action: "allow" }),
  decideConnection: () => ({ decision: { ...denyAll(), action: "allow" }, byRequest: [] }),
};

/**
 * Compiles a resolved policy (a verified bundle's payload) into a handle. Throws a
 * DocumentError naming every problem when the policy is malformed. A flow the engine cannot
 * read (a malformed SNI, say) is denied rather than thrown, so one bad client cannot fail a
 * connection handler.
 */
export function compilePolicy(policy: unknown, version: number): PolicyHandle {
  const resolved = parseResolvedPolicy(policy);
  const index = buildIndex(resolved);
  return {
    version,
    profiles: new ProfileCache(resolved.profiles),
    decide(flow) {
      try {
        return decide(index, flow);
      } catch (error) {
        if (error instanceof FlowError) return denyAll();
        throw error;
      }
    },
    decideConnection(flow) {
      try {
        return decideConnection(index, flow);
      } catch (error) {
        if (error instanceof FlowError) return { decision: denyAll(), byRequest: [] };
        throw error;
      }
    },
  };
}

/**
 * The last decision taken on one client connection. It is reused for the connection's next
 * request only when everything it depends on is the same: the very policy handle (a bundle
 * swapped in since makes it stale), the request target and the method. The caller keeps every
 * other part of the flow (source, host, SNI, port) fixed for the connection's lifetime; a
 * decision is a pure function of the index and the flow, so the reuse changes no outcome.
 */
export class LastDecision {
  private handle: PolicyHandle | undefined;
  private target = "";
  private method = "";
  private decision: Decision | undefined;

  /** The remembered decision for this request, or undefined when it must be decided. */
  lookup(handle: PolicyHandle, target: string, method: string): Decision | undefined {
    if (this.handle !== handle || this.target !== target || this.method !== method) return;
    return this.decision;
  }

  remember(handle: PolicyHandle, target: string, method: string, decision: Decision): void {
    this.handle = handle;
    this.target = target;
    this.method = method;
    this.decision = decision;
  }
}

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
