import { type IpAddress, ipToBigInt, parseCidr } from "../net/index.ts";
import {
  type Decision,
  type DestinationMatch,
  decisiveSet,
  defaultDecision,
  formAdmits,
  type MonitorHit,
  refusedDecision,
  ruleDecision,
  termHas,
} from "./decision.ts";
import { type Flow, type NormalizedFlow, normalizeFlow } from "./flow.ts";
import { hostMatches } from "./hosts.ts";
import { portAllowed } from "./ports.ts";
import { prefixRange } from "./prefix-set.ts";
import type { ResolvedObject, ResolvedPolicy, ResolvedRule, ResolvedService } from "./resolved.ts";

/** An object's prefixes as inclusive numeric ranges, so a scan compares numbers only. */
interface Ranges {
  readonly v4: Float64Array;
  readonly v6: bigint[];
}

interface ParsedObject {
  readonly object: ResolvedObject;
  readonly ranges: Ranges;
}

interface Parsed {
  readonly objects: Map<string, ParsedObject>;
  readonly services: Map<string, ResolvedService>;
}

function rangesOf(object: ResolvedObject): Ranges {
  const v4: number[] = [];
  const v6: bigint[] = [];
  for (const text of object.prefixes) {
    const range = prefixRange(parseCidr(text));
    if (range.family === 4) v4.push(Number(range.first), Number(range.last));
    else v6.push(range.first, range.last);
  }
  return { v4: Float64Array.from(v4), v6 };
}

const parsedCache = new WeakMap<ResolvedPolicy, Parsed>();

/** Parses prefixes once per resolved policy so the reference measures matching, not parsing. */
function parsed(policy: ResolvedPolicy): Parsed {
  const cached = parsedCache.get(policy);
  if (cached) return cached;
  const objects = new Map(
    policy.objects.map((object) => [object.id, { object, ranges: rangesOf(object) }]),
  );
  const result = { objects, services: new Map(policy.services.map((s) => [s.id, s])) };
  parsedCache.set(policy, result);
  return result;
}

const numericCache = new WeakMap<IpAddress, bigint>();

/** The address as a number, computed once per flow address rather than once per object. */
function numeric(address: IpAddress): bigint {
  let value = numericCache.get(address);
  if (value === undefined) {
    value = ipToBigInt(address);
    numericCache.set(address, value);
  }
  return value;
}

/** Scans every range of the object; flow addresses are already unmapped. */
function contains(entry: ParsedObject | undefined, address: IpAddress): boolean {
  if (!entry) return false;
  if (address.family === 4) {
    const value = Number(numeric(address));
    const v4 = entry.ranges.v4;
    for (let i = 0; i < v4.length; i += 2) {
      if (value >= (v4[i] ?? 0) && value <= (v4[i + 1] ?? -1)) return true;
    }
    return false;
  }
  const value = numeric(address);
  const v6 = entry.ranges.v6;
  for (let i = 0; i < v6.length; i += 2) {
    if (value >= (v6[i] ?? 0n) && value <= (v6[i + 1] ?? -1n)) return true;
  }
  return false;
}

function objectMatch(entry: ParsedObject, flow: NormalizedFlow): DestinationMatch | undefined {
  const { object } = entry;
  if (flow.dst && contains(entry, flow.dst)) {
    return { type: "object", id: object.id, form: "address", matched: flow.dstText ?? "" };
  }
  const [primary, ...others] = flow.names;
  if (primary === undefined) return undefined;
  if (!others.every((name) => object.hosts.some((term) => termHas(term, name)))) return undefined;
  for (const term of object.hosts) {
    if (term.exclude.some((p) => hostMatches(p, primary))) continue;
    const pattern = term.include.find((p) => hostMatches(p, primary));
    if (pattern !== undefined)
      return { type: "object", id: object.id, form: "fqdn", matched: pattern };
  }
  return undefined;
}

function serviceMatch(
  service: ResolvedService,
  flow: NormalizedFlow,
): DestinationMatch | undefined {
  if (!portAllowed(service.ports, flow.port)) return undefined;
  const form = service.forms.find((f) => formAdmits(f, flow));
  if (!form) return undefined;
  return {
    type: "service",
    id: service.id,
    form: form.form,
    matched: `${form.host}${form.pathPrefix ?? ""}`,
  };
}

/** The first destination of a rule that the flow reaches; null when the rule has none (any). */
function destinationOf(
  rule: ResolvedRule,
  flow: NormalizedFlow,
  p: Parsed,
): DestinationMatch | null | undefined {
  if (rule.destinations === null) return null;
  for (const destination of rule.destinations) {
    if (destination.type === "service") {
      const service = p.services.get(destination.id);
      const match = service ? serviceMatch(service, flow) : undefined;
      if (match) return match;
      continue;
    }
    const entry = p.objects.get(destination.id);
    const match = entry ? objectMatch(entry, flow) : undefined;
    if (match) return match;
  }
  return undefined;
}

/**
 * The reference decision: every rule in order, every prefix of every object scanned. Same
 * semantics as `decide` on a built index; used by the property tests and the benchmark.
 */
export function decideLinear(policy: ResolvedPolicy, rawFlow: Flow): Decision {
  const flow = normalizeFlow(rawFlow);
  const p = parsed(policy);
  const memberships = policy.objects
    .filter((o) => contains(p.objects.get(o.id), flow.src))
    .map((o) => o.id);
  if (flow.refused) return refusedDecision(flow.refused, memberships);
  const { end, set } = decisiveSet(policy.ruleSets);
  const monitored: MonitorHit[] = [];

  let position = 0;
  for (const ruleSet of policy.ruleSets) {
    for (const rule of ruleSet.rules) {
      if (position++ >= end) break;
      if (!portAllowed(rule.ports, flow.port)) continue;
      const sources =
        rule.sources === null
          ? memberships
          : rule.sources.filter((id) => contains(p.objects.get(id), flow.src));
      if (rule.sources !== null && sources.length === 0) continue;
      const destination = destinationOf(rule, flow, p);
      if (destination === undefined) continue;

      if (rule.monitor) {
        monitored.push({
          ruleId: rule.id,
          ruleSetId: ruleSet.id,
          action: rule.action,
          mode: rule.mode,
        });
        continue;
      }
      return ruleDecision(rule, ruleSet.id, sources, destination ?? undefined, monitored);
    }
  }
  return defaultDecision(policy.ruleSets[set], memberships, monitored);
}
