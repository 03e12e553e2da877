import type { Candidate, IndexedRule, PolicyIndex } from "./build-index.ts";
import { type DestinationMatch, formAdmits, termHas } from "./decision.ts";
import type { NormalizedFlow } from "./flow.ts";
import { hostMatches } from "./hosts.ts";
import { portAllowed } from "./ports.ts";
import type { HostForm } from "./services.ts";

/** True when a sorted membership list holds the value (binary search). */
export function contains(sorted: Uint32Array, value: number): boolean {
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const at = sorted[mid] ?? 0;
    if (at === value) return true;
    if (at < value) low = mid + 1;
    else high = mid - 1;
  }
  return false;
}

/** Every name after the primary must belong to some host term of the object. */
function otherNamesFit(index: PolicyIndex, target: number, flow: NormalizedFlow): boolean {
  const object = index.policy.objects[target];
  if (!object) return false;
  for (let i = 1; i < flow.names.length; i++) {
    const name = flow.names[i] ?? "";
    if (!object.hosts.some((term) => termHas(term, name))) return false;
  }
  return true;
}

function objectByHost(index: PolicyIndex, target: number, flow: NormalizedFlow) {
  const object = index.policy.objects[target];
  const primary = flow.names[0];
  if (!object || primary === undefined || !otherNamesFit(index, target, flow)) return undefined;
  for (const term of object.hosts) {
    if (term.exclude.some((p) => hostMatches(p, primary))) continue;
    const pattern = term.include.find((p) => hostMatches(p, primary));
    if (pattern !== undefined) return fqdnMatch(object.id, pattern);
  }
  return undefined;
}

function fqdnMatch(id: string, pattern: string): DestinationMatch {
  return { type: "object", id, form: "fqdn", matched: pattern };
}

function addressMatch(index: PolicyIndex, target: number, flow: NormalizedFlow) {
  const id = index.objectIds[target] ?? "";
  return { type: "object", id, form: "address", matched: flow.dstText ?? "" } as const;
}

function serviceMatch(
  index: PolicyIndex,
  target: number,
  detail: number | undefined,
  flow: NormalizedFlow,
): DestinationMatch | undefined {
  const service = index.policy.services[target];
  if (!service || !portAllowed(service.ports, flow.port)) return undefined;
  if (detail === undefined) {
    const form = service.forms.find((f) => formAdmits(f, flow));
    return form ? serviceFormMatch(service.id, form) : undefined;
  }
  // The index reached this form through its host pattern, which the primary name matched.
  const form = service.forms[detail];
  if (!form || !formAdmits(form, flow, 1)) return undefined;
  return serviceFormMatch(service.id, form);
}

function serviceFormMatch(id: string, form: HostForm): DestinationMatch {
  const matched = `${form.host}${form.pathPrefix ?? ""}`;
  return { type: "service", id, form: form.form, matched };
}

/**
 * Checks what the candidate's list did not already establish about its destination: null
 * when the rule has no destinations, undefined when the flow does not reach it.
 */
export function candidateDestination(
  index: PolicyIndex,
  c: Candidate,
  flow: NormalizedFlow,
  dst: Uint32Array,
): DestinationMatch | null | undefined {
  switch (c.via) {
    case "any":
      return null;
    case "address":
      return addressMatch(index, c.target, flow);
    case "object-host": {
      const term = index.policy.objects[c.target]?.hosts[c.detail];
      const primary = flow.names[0] ?? "";
      if (!term || term.exclude.some((p) => hostMatches(p, primary))) return undefined;
      if (!otherNamesFit(index, c.target, flow)) return undefined;
      return fqdnMatch(index.objectIds[c.target] ?? "", c.pattern);
    }
    case "service-form":
      return serviceMatch(index, c.target, c.detail, flow);
    case "source":
      return ruleDestination(index, index.rules[c.rule], flow, dst);
  }
}

/** The first destination of the rule the flow reaches, in rule order, as the linear scan does. */
function ruleDestination(
  index: PolicyIndex,
  indexed: IndexedRule | undefined,
  flow: NormalizedFlow,
  dst: Uint32Array,
): DestinationMatch | null | undefined {
  if (!indexed) return undefined;
  if (!indexed.destinations) return null;
  for (const { type, target } of indexed.destinations) {
    if (target < 0) continue;
    const match =
      type === "service"
        ? serviceMatch(index, target, undefined, flow)
        : flow.dst && contains(dst, target)
          ? addressMatch(index, target, flow)
          : objectByHost(index, target, flow);
    if (match) return match;
  }
  return undefined;
}
