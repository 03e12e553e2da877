/**
 * The canonical documents shared by every part of Ringfence: inventory, policy and decision
 * events, as zod schemas with `schemaVersion`. See docs/engine/ for field-by-field meaning.
 */
export { DocumentError, type DocumentIssue, formatPath, issuesFromZod } from "./errors.ts";
export {
  type DecisionEvent,
  type Detection,
  decisionEventSchema,
  detectionSchema,
  type EventReasons,
  eventReasonsSchema,
  parseDecisionEvent,
  SEVERITIES,
  type Severity,
} from "./event.ts";
export {
  type Asset,
  assetSchema,
  CANONICAL_ATTRIBUTE_KEYS,
  type Inventory,
  inventorySchema,
  KNOWN_ASSET_KINDS,
  PROVIDERS,
  type Provider,
  parseInventory,
} from "./inventory.ts";
export {
  type AddressObject,
  addressObjectSchema,
  type Policy,
  type PolicyInput,
  type ProfileRef,
  parsePolicy,
  policySchema,
  profileRefSchema,
  type Rule,
  type RuleSet,
  ruleSchema,
  ruleSetSchema,
  type ServiceObject,
  serviceObjectSchema,
} from "./policy.ts";
export { parsePolicyText } from "./policy-text.ts";
