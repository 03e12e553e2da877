/**
 * The policy engine: compile a policy against an inventory, index it, and decide flows.
 * See docs/engine/policy.md for the semantics every enforcer relies on.
 */
export {
  buildIndex,
  type GatedSide,
  type IndexedRule,
  type IndexOptions,
  type PolicyIndex,
} from "./build-index.ts";
export { BUILTIN_OBJECTS, isBuiltinId } from "./builtins.ts";
export { type ConnectionDecision, decideConnection } from "./connection.ts";
export { decide } from "./decide.ts";
export {
  type Decision,
  type DestinationMatch,
  eventReasons,
  formatDestination,
  type MonitorHit,
} from "./decision.ts";
export { type Flow, FlowError, normalizeFlow } from "./flow.ts";
export { hostMatches, hostPatternProblem, normalizeHost, pathUnder } from "./hosts.ts";
export { decideLinear } from "./linear.ts";
export { normalizePath } from "./path.ts";
export { POLICY_LIMITS, resolvePolicy } from "./resolve.ts";
export { inScope } from "./resolve-objects.ts";
export {
  type HostTerm,
  type PortRange,
  parseResolvedPolicy,
  type ResolvedObject,
  type ResolvedPolicy,
  type ResolvedRule,
  type ResolvedRuleSet,
  type ResolvedService,
  resolvedPolicySchema,
} from "./resolved.ts";
export { expandService, type HostForm } from "./services.ts";
