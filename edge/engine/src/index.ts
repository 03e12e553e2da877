/**
 * The runtime-neutral Ringfence engine. Each area is also a subpath export
 * (`@ringfence/engine/<folder>`); this root re-exports the shared contracts most callers need.
 */
export const ENGINE_VERSION = "0.1.0";

export {
  type Asset,
  type DecisionEvent,
  DocumentError,
  type Inventory,
  type Policy,
  parseDecisionEvent,
  parseInventory,
  parsePolicy,
  parsePolicyText,
} from "./documents/index.ts";
export { canonicalIp, type IpAddress, type IpPrefix, parseCidr, parseIp } from "./net/index.ts";
export {
  buildIndex,
  type Decision,
  decide,
  decideLinear,
  type Flow,
  type PolicyIndex,
  type ResolvedPolicy,
  resolvedPolicySchema,
  resolvePolicy,
} from "./policy/index.ts";
export { canonicalSelector, parseSelector } from "./selector/index.ts";
