import type { Candidate, PolicyIndex } from "./build-index.ts";
import {
  type Decision,
  type DestinationMatch,
  defaultDecision,
  formAdmits,
  type MonitorHit,
  ruleDecision,
  termHas,
} from "./decision.ts";
import { type Flow, type NormalizedFlow, normalizeFlow } from "./flow.ts";
import { hostMatches } from "./hosts.ts";
import { portAllowed } from "./ports.ts";

function contains(sorted: Uint32Array, value: number): boolean {
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

/** Collects the sorted candidate lists that can concern this flow. */
function candidateLists(
  index: PolicyIndex,
  flow: NormalizedFlow,
  src: Uint32Array,
  dst: Uint32Array,
): Candidate[][] {
  const lists: Candidate[][] = [];
  const push = (list: readonly Candidate[] | undefined) => {
    if (list && list.length > 0) lists.push(list as Candidate[]);
  };
  for (const object of dst) push(index.byDestinationObject[object]);
  for (const object of src) push(index.bySourceObject[object]);
  push(index.anyByPort.get(flow.port));
  push(index.anyWide);
  const primary = flow.names[0];
  if (primary !== undefined) for (const list of index.hosts.match(primary)) push(list);
  return lists;
}

/** Checks what the candidate's list did not already establish about its destination. */
function destinationOf(
  index: PolicyIndex,
  c: Candidate,
  flow: NormalizedFlow,
): DestinationMatch | null | undefined {
  switch (c.via) {
    case "any":
      return null;
    case "address":
      return {
        type: "object",
        id: index.objectIds[c.target] ?? "",
        form: "address",
        matched: flow.dstText ?? "",
      };
    case "object-host": {
      const object = index.policy.objects[c.target];
      const term = object?.hosts[c.detail];
      const primary = flow.names[0] ?? "";
      if (!object || !term || term.exclude.some((p) => hostMatches(p, primary))) return undefined;
      const others = flow.names.slice(1);
      if (!others.every((name) => object.hosts.some((t) => termHas(t, name)))) return undefined;
      return { type: "object", id: object.id, form: "fqdn", matched: c.pattern };
    }
    case "service-form": {
      const service = index.policy.services[c.target];
      const form = service?.forms[c.detail];
      if (!service || !form || !portAllowed(service.ports, flow.port) || !formAdmits(form, flow))
        return undefined;
      return {
        type: "service",
        id: service.id,
        form: form.form,
        matched: `${form.host}${form.pathPrefix ?? ""}`,
      };
    }
  }
}

/**
 * Decides a flow against a built index: first match wins over the ordered rules of the
 * reachable rule sets; monitor rules that match are recorded and evaluation continues; when
 * nothing matches, the default of the first rule set that does not fall through applies.
 * Throws FlowError on a malformed flow. Same semantics as `decideLinear`.
 */
export function decide(index: PolicyIndex, rawFlow: Flow): Decision {
  const flow = normalizeFlow(rawFlow);
  const src = index.prefixes.lookup(flow.src);
  const dst = flow.dst ? index.prefixes.lookup(flow.dst) : new Uint32Array(0);
  const lists = candidateLists(index, flow, src, dst);
  const cursors = new Array<number>(lists.length).fill(0);
  const monitored: MonitorHit[] = [];
  let settledRule = -1;

  for (;;) {
    const next = nextCandidate(lists, cursors);
    if (!next || next.rule >= index.decisiveEnd) break;
    if (next.rule === settledRule) continue;

    const indexed = index.rules[next.rule];
    if (!indexed || !portAllowed(indexed.rule.ports, flow.port)) continue;
    const sources = indexed.sources;
    if (sources && !sources.some((object) => contains(src, object))) continue;
    const destination = destinationOf(index, next, flow);
    if (destination === undefined) continue;

    settledRule = next.rule;
    const { rule, ruleSetId } = indexed;
    if (rule.monitor) {
      monitored.push({ ruleId: rule.id, ruleSetId, action: rule.action, mode: rule.mode });
      continue;
    }
    const matched = sources
      ? rule.sources?.filter((_, i) => contains(src, sources[i] ?? -1))
      : undefined;
    return ruleDecision(
      rule,
      ruleSetId,
      matched ?? idsOf(index, src),
      destination ?? undefined,
      monitored,
    );
  }
  return defaultDecision(index.policy.ruleSets[index.decisiveSet], idsOf(index, src), monitored);
}

function idsOf(index: PolicyIndex, objects: Uint32Array): string[] {
  return Array.from(objects, (object) => index.objectIds[object] ?? "");
}

/** Pops the smallest-key head among the lists (a k-way merge; k is small per flow). */
function nextCandidate(lists: Candidate[][], cursors: number[]): Candidate | undefined {
  let best: Candidate | undefined;
  let bestList = -1;
  for (let i = 0; i < lists.length; i++) {
    const head = lists[i]?.[cursors[i] ?? 0];
    if (head && (!best || head.key < best.key)) {
      best = head;
      bestList = i;
    }
  }
  if (bestList >= 0) cursors[bestList] = (cursors[bestList] ?? 0) + 1;
  return best;
}
