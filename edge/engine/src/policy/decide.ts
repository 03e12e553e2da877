import type { PolicyIndex } from "./build-index.ts";
import type { Candidate } from "./candidates.ts";
import {
  type Decision,
  defaultDecision,
  type MonitorHit,
  refusedDecision,
  ruleDecision,
} from "./decision.ts";
import { candidateDestination, contains } from "./destination.ts";
import { type Flow, normalizeFlow } from "./flow.ts";
import { candidateLists } from "./gather.ts";
import { portAllowed } from "./ports.ts";

/**
 * Decides a flow against a built index: first match wins over the ordered rules of the
 * reachable rule sets; monitor rules that match are recorded and evaluation continues; when
 * nothing matches, the default of the first rule set that does not fall through applies.
 * Throws FlowError on a malformed flow. Same semantics as `decideLinear`.
 */
export function decide(index: PolicyIndex, rawFlow: Flow): Decision {
  const flow = normalizeFlow(rawFlow);
  const src = index.prefixes.lookup(flow.src);
  if (flow.refused) return refusedDecision(flow.refused, idsOf(index, src));
  const dst = flow.dst ? index.prefixes.lookup(flow.dst) : new Uint32Array(0);
  const lists = candidateLists(index, flow, src, dst);
  const cursors = new Array<number>(lists.length).fill(0);
  const monitored: MonitorHit[] = [];
  let settledRule = -1;
  let checkedRule = -1;
  let previous: Candidate | undefined;

  for (;;) {
    const next = nextCandidate(lists, cursors);
    if (!next || next.rule >= index.decisiveEnd) break;
    // A pair candidate sits under each of the rule's sources that the flow comes from.
    if (next === previous || next.rule === settledRule) continue;
    if (flow.port < next.portLow || flow.port > next.portHigh) continue;
    previous = next;
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
