import type { Candidate, PolicyIndex } from "./build-index.ts";
import { type Decision, defaultDecision, type MonitorHit, ruleDecision } from "./decision.ts";
import { candidateDestination, contains } from "./destination.ts";
import { type Flow, type NormalizedFlow, normalizeFlow } from "./flow.ts";
import { portAllowed } from "./ports.ts";

/** Sums the lengths of the lists, to pick the shorter side for a flow. */
function total(lists: readonly (readonly Candidate[])[]): number {
  let sum = 0;
  for (const list of lists) sum += list.length;
  return sum;
}

/**
 * Collects the sorted candidate lists that can concern this flow. Rules without sources are
 * found through their destinations. Rules with sources are found through whichever side is
 * shorter for this flow: their destinations (plus the rules without destinations under the
 * flow's source objects), or the flow's source objects alone. So a destination shared by
 * many rules costs only as much as the source's own rules, and the other way round.
 */
function candidateLists(
  index: PolicyIndex,
  flow: NormalizedFlow,
  src: Uint32Array,
  dst: Uint32Array,
): Candidate[][] {
  const lists: Candidate[][] = [];
  const gated: Candidate[][] = [];
  const bySource: Candidate[][] = [];
  const push = (into: Candidate[][], list: readonly Candidate[] | undefined) => {
    if (list && list.length > 0) into.push(list as Candidate[]);
  };
  const primary = flow.names[0];
  for (const object of dst) {
    push(lists, index.open.byObject[object]);
    push(gated, index.gated.byObject[object]);
  }
  if (primary !== undefined) {
    for (const list of index.open.hosts.match(primary)) push(lists, list);
    for (const list of index.gated.hosts.match(primary)) push(gated, list);
  }
  for (const object of src) {
    push(gated, index.anyBySource[object]);
    push(bySource, index.bySource[object]);
  }
  push(lists, index.anyByPort.get(flow.port));
  push(lists, index.anyWide);
  lists.push(...(total(bySource) < total(gated) ? bySource : gated));
  return lists;
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
  let checkedRule = -1;

  for (;;) {
    const next = nextCandidate(lists, cursors);
    if (!next || next.rule >= index.decisiveEnd) break;
    if (next.rule === settledRule) continue;
    // A rule with several of the flow's source objects is listed once under each of them.
    if (next.via === "source" && next.rule === checkedRule) continue;
    checkedRule = next.rule;

    const indexed = index.rules[next.rule];
    if (!indexed || !portAllowed(indexed.rule.ports, flow.port)) continue;
    const sources = indexed.sources;
    if (next.via !== "source" && sources && !containsAny(src, sources)) continue;
    const destination = candidateDestination(index, next, flow, dst);
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

function containsAny(src: Uint32Array, sources: Int32Array): boolean {
  for (let i = 0; i < sources.length; i++) if (contains(src, sources[i] ?? -1)) return true;
  return false;
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
