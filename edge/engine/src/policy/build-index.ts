import { DocumentError } from "../documents/errors.ts";
import { type IpPrefix, NetParseError } from "../net/index.ts";
import {
  CandidateBuilder,
  type CandidateLists,
  DEFAULT_PAIR_LIMIT,
  type IndexedDestination,
} from "./candidates.ts";
import { decisiveSet } from "./decision.ts";
import { DestinationKeys } from "./destination-keys.ts";
import { parseCanonicalCidr } from "./prefix-set.ts";
import { PrefixTable } from "./prefix-table.ts";
import { parseResolvedPolicy, type ResolvedPolicy, type ResolvedRule } from "./resolved.ts";

export type { Candidate, IndexedDestination, Via } from "./candidates.ts";

/** A rule with references turned into indices. */
export interface IndexedRule {
  readonly rule: ResolvedRule;
  readonly ruleSetId: string;
  readonly sources: Int32Array | null;
  readonly destinations: readonly IndexedDestination[] | null;
}

/** Settings for tests that compare the ways a flow can find its rules. */
export interface IndexOptions {
  /** Largest number of pairs one rule may add before it is listed by destination only. */
  readonly pairLimit?: number;
  /** Forces how rules with sources are found instead of choosing the cheapest per flow. */
  readonly side?: GatedSide;
}

/** How `decide` finds the rules with sources for a flow (see candidateLists in decide.ts). */
export type GatedSide = "destination" | "source" | "pairs";

/** The compiled, query-ready form of a resolved policy. Build once per bundle. */
export interface PolicyIndex {
  readonly policy: ResolvedPolicy;
  readonly objectIds: readonly string[];
  readonly prefixes: PrefixTable;
  readonly rules: readonly IndexedRule[];
  readonly decisiveEnd: number;
  readonly decisiveSet: number;
  readonly keys: DestinationKeys;
  readonly lists: CandidateLists;
  readonly side: GatedSide | undefined;
}

/**
 * Each object's prefixes, parsed one at a time as the prefix table reads them: a 100k-prefix
 * bundle never holds all its parsed prefixes at once (about 290 bytes each), only the table.
 */
function parsePrefixes(policy: ResolvedPolicy): Iterable<IpPrefix>[] {
  return policy.objects.map((object, i) => parseObjectPrefixes(object.prefixes, i));
}

function* parseObjectPrefixes(texts: readonly string[], i: number): Generator<IpPrefix> {
  for (const [j, text] of texts.entries()) {
    try {
      yield parseCanonicalCidr(text);
    } catch (error) {
      if (!(error instanceof NetParseError)) throw error;
      throw new DocumentError("resolved policy", [
        { path: `$.objects[${i}].prefixes[${j}]`, message: error.reason },
      ]);
    }
  }
}

/**
 * Compiles a resolved policy (validated with resolvedPolicySchema first) into an index: a
 * prefix table for object membership; destination keys (address objects, and host patterns
 * narrowed by path-style bucket) with a host trie over them; and candidate lists by key, by
 * source object and by the pair of both (see CandidateLists), so a flow finds its rules
 * through whichever is cheapest for it. Throws DocumentError on a malformed payload.
 */
export function buildIndex(input: ResolvedPolicy, options: IndexOptions = {}): PolicyIndex {
  const policy = parseResolvedPolicy(input);
  const objectIndex = new Map(policy.objects.map((o, i) => [o.id, i]));
  const serviceIndex = new Map(policy.services.map((s, i) => [s.id, i]));
  const { end, set } = decisiveSet(policy.ruleSets);

  const keys = new DestinationKeys(policy.objects.length);
  const pairLimit = options.pairLimit ?? DEFAULT_PAIR_LIMIT;
  const builder = new CandidateBuilder(policy.objects, policy.services, keys, pairLimit);
  const rules: IndexedRule[] = [];
  for (const ruleSet of policy.ruleSets) {
    for (const rule of ruleSet.rules) {
      const index = rules.length;
      if (index >= end) break;
      const sources = rule.sources
        ? Int32Array.from(rule.sources, (id) => objectIndex.get(id) ?? -1)
        : null;
      const destinations =
        rule.destinations?.map(({ type, id }) => ({
          type,
          target: (type === "object" ? objectIndex.get(id) : serviceIndex.get(id)) ?? -1,
        })) ?? null;
      rules.push({ rule, ruleSetId: ruleSet.id, sources, destinations });
      builder.add(index, rule.ports, sources, destinations);
    }
  }

  return {
    policy,
    objectIds: policy.objects.map((o) => o.id),
    prefixes: new PrefixTable(parsePrefixes(policy)),
    rules,
    decisiveEnd: Math.min(end, rules.length),
    decisiveSet: set,
    keys,
    lists: builder.lists(),
    side: options.side,
  };
}
