import { DocumentError, type DocumentIssue } from "../documents/errors.ts";
import { type Inventory, parseInventory } from "../documents/inventory.ts";
import { type Policy, parsePolicy, type Rule, type ServiceObject } from "../documents/policy.ts";
import { AssetSets } from "./asset-sets.ts";
import { isBuiltinId } from "./builtins.ts";
import { hostPatternProblem } from "./hosts.ts";
import { parsePortSpecs } from "./ports.ts";
import { ObjectResolver } from "./resolve-objects.ts";
import type { ResolvedPolicy, ResolvedRule, ResolvedService } from "./resolved.ts";
import { expandService } from "./services.ts";

/** Limits that keep index keys exact and a bundle bounded. */
export const POLICY_LIMITS = {
  rules: 1 << 20,
  destinationsPerRule: 4096,
  formsPerDestination: 65535,
};

interface Context {
  readonly policy: Policy;
  readonly inventory: Inventory;
  readonly issues: DocumentIssue[];
  readonly objects: ObjectResolver;
  readonly serviceIds: Set<string>;
}

/**
 * Compiles a policy document against an inventory into the resolved, JSON-serialisable form
 * that a bundle carries: address objects as canonical prefix sets and host patterns, services
 * expanded to host forms, enabled rules in order, profiles passed through. Both inputs are
 * validated first; every problem is reported at once as a DocumentError with JSON paths.
 * The output depends only on the inputs, so the same input gives byte-identical JSON.
 */
export function resolvePolicy(policyInput: unknown, inventoryInput: unknown): ResolvedPolicy {
  const policy = parsePolicy(policyInput);
  const inventory = parseInventory(inventoryInput);
  const issues: DocumentIssue[] = [];
  checkUniqueIds(policy, issues);

  const objects = new ObjectResolver(policy.objects, new AssetSets(inventory.assets), issues);
  const serviceIds = new Set(policy.services.map((s) => s.id));
  const context: Context = { policy, inventory, issues, objects, serviceIds };

  const ruleSets = policy.ruleSets.map((set, s) => ({
    id: set.id,
    defaultAction: set.defaultAction,
    rules: set.rules.flatMap((rule, r) =>
      rule.enabled ? [resolveRule(context, rule, `$.ruleSets[${s}].rules[${r}]`)] : [],
    ),
  }));
  const last = policy.ruleSets.length - 1;
  if (policy.ruleSets[last]?.defaultAction === "next") {
    issues.push({
      path: `$.ruleSets[${last}].defaultAction`,
      message: 'the last rule set cannot default to "next"',
    });
  }

  const resolved: ResolvedPolicy = {
    schemaVersion: 1,
    objects: objectIdsToEmit(policy, ruleSets).map((id) => objects.resolve(id)),
    services: policy.services.map((service, i) =>
      resolveService(context, service, `$.services[${i}]`),
    ),
    ruleSets,
    profiles: policy.profiles,
  };
  if (issues.length > 0) throw new DocumentError("policy", issues);
  return resolved;
}

/** User objects in document order, then the built-ins that rules or groups use, sorted. */
function objectIdsToEmit(policy: Policy, ruleSets: { rules: ResolvedRule[] }[]): string[] {
  const used = new Set<string>();
  for (const object of policy.objects) {
    if (object.kind === "group")
      [...object.include, ...(object.exclude ?? [])].forEach((id) => {
        used.add(id);
      });
  }
  for (const rule of ruleSets.flatMap((set) => set.rules)) {
    rule.sources?.forEach((id) => {
      used.add(id);
    });
    rule.destinations?.forEach((d) => {
      if (d.type === "object") used.add(d.id);
    });
  }
  const builtins = [...used].filter(isBuiltinId).sort();
  return [...policy.objects.map((o) => o.id), ...builtins];
}

function checkUniqueIds(policy: Policy, issues: DocumentIssue[]): void {
  const seen = new Map<string, string>();
  const claim = (id: string, path: string) => {
    const first = seen.get(id);
    if (first) issues.push({ path, message: `duplicate id "${id}" (first at ${first})` });
    else seen.set(id, path);
  };
  policy.objects.forEach((o, i) => {
    claim(o.id, `$.objects[${i}].id`);
  });
  policy.services.forEach((o, i) => {
    claim(o.id, `$.services[${i}].id`);
  });

  const ruleIds = new Map<string, string>();
  policy.ruleSets.forEach((set, s) => {
    claim(set.id, `$.ruleSets[${s}].id`);
    set.rules.forEach((rule, r) => {
      const path = `$.ruleSets[${s}].rules[${r}].id`;
      const first = ruleIds.get(rule.id);
      if (first)
        issues.push({ path, message: `duplicate rule id "${rule.id}" (first at ${first})` });
      else ruleIds.set(rule.id, path);
    });
  });
  policy.profiles.forEach((p, i) => {
    claim(p.id, `$.profiles[${i}].id`);
  });
}

function resolveRule(context: Context, rule: Rule, path: string): ResolvedRule {
  const { issues, objects, serviceIds } = context;
  rule.sources?.forEach((id, i) => {
    if (!objects.has(id))
      issues.push({ path: `${path}.sources[${i}]`, message: `unknown address object "${id}"` });
    else if (!objects.canHoldAddresses(id)) {
      issues.push({
        path: `${path}.sources[${i}]`,
        message: `"${id}" is an FQDN object and cannot match a source address`,
      });
    }
  });
  const destinations = rule.destinations?.map((id, i) => {
    if (serviceIds.has(id)) return { type: "service" as const, id };
    if (!objects.has(id))
      issues.push({
        path: `${path}.destinations[${i}]`,
        message: `unknown object or service "${id}"`,
      });
    return { type: "object" as const, id };
  });
  if ((destinations?.length ?? 0) > POLICY_LIMITS.destinationsPerRule) {
    issues.push({
      path: `${path}.destinations`,
      message: `at most ${POLICY_LIMITS.destinationsPerRule} destinations per rule`,
    });
  }
  const profileIds = new Set(context.policy.profiles.map((p) => p.id));
  rule.profiles.forEach((id, i) => {
    if (!profileIds.has(id))
      issues.push({ path: `${path}.profiles[${i}]`, message: `unknown profile "${id}"` });
  });

  return {
    id: rule.id,
    name: rule.name ?? null,
    sources: rule.sources ? [...rule.sources] : null,
    destinations: destinations ?? null,
    ports: rule.ports ? parsePortSpecs(rule.ports, `${path}.ports`, issues) : null,
    action: rule.action,
    mode: rule.mode,
    profiles: [...rule.profiles],
    monitor: rule.monitor,
  };
}

function resolveService(context: Context, service: ServiceObject, path: string): ResolvedService {
  let region: string | undefined;
  if (service.kind === "s3") {
    region = service.region ?? bucketRegion(context.inventory, service.bucket);
    if (!region) {
      context.issues.push({
        path: `${path}.region`,
        message: `region of bucket "${service.bucket}" is unknown: set it or add the bucket to the inventory`,
      });
    }
  }
  if (service.kind === "fqdn") {
    service.hosts.forEach((host, i) => {
      const problem = hostPatternProblem(host);
      if (problem) context.issues.push({ path: `${path}.hosts[${i}]`, message: problem });
    });
  }
  const forms = expandService(service, region);
  if (forms.length > POLICY_LIMITS.formsPerDestination) {
    context.issues.push({
      path,
      message: `expands to more than ${POLICY_LIMITS.formsPerDestination} host forms`,
    });
  }
  return {
    id: service.id,
    kind: service.kind,
    ports: service.ports ? parsePortSpecs(service.ports, `${path}.ports`, context.issues) : null,
    forms,
  };
}

/** The region of an AWS bucket asset with this name, when the inventory knows it. */
function bucketRegion(inventory: Inventory, bucket: string): string | undefined {
  const asset = inventory.assets.find(
    (a) => a.provider === "aws" && a.kind === "bucket" && a.name === bucket,
  );
  return asset?.region;
}
