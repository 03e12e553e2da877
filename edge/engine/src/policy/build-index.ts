import { DocumentError } from "../documents/errors.ts";
import { type IpPrefix, NetParseError } from "../net/index.ts";
import { decisiveSet } from "./decision.ts";
import { HostTrie } from "./host-trie.ts";
import { parseCanonicalCidr } from "./prefix-set.ts";
import { PrefixTable } from "./prefix-table.ts";
import {
  type PortRange,
  parseResolvedPolicy,
  type ResolvedPolicy,
  type ResolvedRule,
} from "./resolved.ts";
import type { HostForm } from "./services.ts";

/**
 * How a candidate reached a rule, which decides what is left to verify. `source` candidates
 * come from the source side and still need every destination of the rule checked in order.
 */
export type Via = "any" | "address" | "object-host" | "service-form" | "source";

/**
 * One way a rule can match. `key` orders candidates exactly as the linear reference visits
 * them: by rule, then destination position, then address before host forms in order.
 */
export interface Candidate {
  readonly key: number;
  readonly rule: number;
  readonly position: number;
  readonly via: Via;
  /** Object or service index of the destination; -1 for any. */
  readonly target: number;
  /** Host term index (objects) or form index (services). */
  readonly detail: number;
  readonly pattern: string;
}

/** A rule destination with its reference turned into an object or service index. */
export interface IndexedDestination {
  readonly type: "object" | "service";
  /** -1 when the id names nothing in the policy. */
  readonly target: number;
}

/** A rule with references turned into indices. */
export interface IndexedRule {
  readonly rule: ResolvedRule;
  readonly ruleSetId: string;
  readonly sources: Int32Array | null;
  readonly destinations: readonly IndexedDestination[] | null;
}

/** Destination-side candidate lists: by destination object (addresses) and by host pattern. */
export interface DestinationLists {
  readonly hosts: HostTrie<Candidate>;
  readonly byObject: readonly Candidate[][];
}

/** The compiled, query-ready form of a resolved policy. Build once per bundle. */
export interface PolicyIndex {
  readonly policy: ResolvedPolicy;
  readonly objectIds: readonly string[];
  readonly prefixes: PrefixTable;
  readonly rules: readonly IndexedRule[];
  readonly decisiveEnd: number;
  readonly decisiveSet: number;
  /** Destination candidates of rules without sources; every flow consults these. */
  readonly open: DestinationLists;
  /** Destination candidates of rules with sources; the alternative to `bySource`. */
  readonly gated: DestinationLists;
  /** Rules with sources but no destinations, under each source object. */
  readonly anyBySource: readonly Candidate[][];
  /** Every rule with sources as one `source` candidate, under each source object. */
  readonly bySource: readonly Candidate[][];
  readonly anyByPort: ReadonlyMap<number, Candidate[]>;
  readonly anyWide: readonly Candidate[];
}

const PORTS_PER_BUCKET_LIMIT = 16;

function candidateKey(rule: number, position: number, sub: number): number {
  return rule * 2 ** 28 + position * 2 ** 16 + sub;
}

/**
 * Every candidate is built here with its fields in one order, so they share one hidden
 * class and the merge in `decide` reads them through monomorphic property loads.
 */
function candidate(
  rule: number,
  position: number,
  sub: number,
  via: Via,
  target = -1,
  detail = 0,
  pattern = "",
): Candidate {
  return { key: candidateKey(rule, position, sub), rule, position, via, target, detail, pattern };
}

function parsePrefixes(policy: ResolvedPolicy): IpPrefix[][] {
  return policy.objects.map((object, i) =>
    object.prefixes.map((text, j) => {
      try {
        return parseCanonicalCidr(text);
      } catch (error) {
        if (!(error instanceof NetParseError)) throw error;
        throw new DocumentError("resolved policy", [
          { path: `$.objects[${i}].prefixes[${j}]`, message: error.reason },
        ]);
      }
    }),
  );
}

/**
 * Compiles a resolved policy (validated with resolvedPolicySchema first) into an index: a
 * prefix table for object membership; host tries and candidate lists by destination object,
 * kept apart for rules without sources (`open`) and with sources (`gated`); every rule with
 * sources once more under each source object (`bySource`), so a flow can take whichever
 * side is shorter; and lists by port for rules with neither. Throws DocumentError on a
 * malformed payload.
 */
export function buildIndex(input: ResolvedPolicy): PolicyIndex {
  const policy = parseResolvedPolicy(input);
  const objectIndex = new Map(policy.objects.map((o, i) => [o.id, i]));
  const serviceIndex = new Map(policy.services.map((s, i) => [s.id, i]));
  const { end, set } = decisiveSet(policy.ruleSets);

  const builder = new CandidateBuilder(policy, objectIndex.size);
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
    ...builder.lists(),
  };
}

/** Accumulates candidate lists; rules are added in order so every list stays sorted by key. */
class CandidateBuilder {
  private readonly open: { hosts: HostTrie<Candidate>; byObject: Candidate[][] };
  private readonly gated: { hosts: HostTrie<Candidate>; byObject: Candidate[][] };
  private readonly anyBySource: Candidate[][];
  private readonly bySource: Candidate[][];
  private readonly anyByPort = new Map<number, Candidate[]>();
  private readonly anyWide: Candidate[] = [];

  constructor(
    private readonly policy: ResolvedPolicy,
    objectCount: number,
  ) {
    const lists = () => Array.from({ length: objectCount }, (): Candidate[] => []);
    this.open = { hosts: new HostTrie(), byObject: lists() };
    this.gated = { hosts: new HostTrie(), byObject: lists() };
    this.anyBySource = lists();
    this.bySource = lists();
  }

  lists() {
    const { open, gated, anyBySource, bySource, anyByPort, anyWide } = this;
    return { open, gated, anyBySource, bySource, anyByPort, anyWide };
  }

  add(
    rule: number,
    ports: readonly PortRange[] | null,
    sources: Int32Array | null,
    destinations: readonly IndexedDestination[] | null,
  ): void {
    const whole = (via: Via) => candidate(rule, 0, 0, via);
    const distinctSources = sources ? [...new Set(sources)] : [];
    if (sources) {
      const candidate = whole("source");
      for (const source of distinctSources) this.bySource[source]?.push(candidate);
    }

    if (destinations) {
      const side = sources ? this.gated : this.open;
      destinations.forEach(({ type, target }, position) => {
        if (type === "object") this.addObject(side, rule, position, target);
        else this.addService(side, rule, position, target);
      });
      return;
    }
    if (sources) {
      const candidate = whole("any");
      for (const source of distinctSources) this.anyBySource[source]?.push(candidate);
      return;
    }
    this.addAnyByPort(ports, whole("any"));
  }

  private addAnyByPort(ports: readonly PortRange[] | null, candidate: Candidate): void {
    const width =
      ports?.reduce((sum, [low, high]) => sum + high - low + 1, 0) ?? Number.POSITIVE_INFINITY;
    if (!ports || width > PORTS_PER_BUCKET_LIMIT) {
      this.anyWide.push(candidate);
      return;
    }
    for (const [low, high] of ports) {
      for (let port = low; port <= high; port++) {
        const list = this.anyByPort.get(port);
        if (list) list.push(candidate);
        else this.anyByPort.set(port, [candidate]);
      }
    }
  }

  private addObject(side: DestinationLists, rule: number, position: number, target: number) {
    const object = this.policy.objects[target];
    if (!object) return;
    if (object.prefixes.length > 0)
      side.byObject[target]?.push(candidate(rule, position, 0, "address", target));
    let sub = 1;
    object.hosts.forEach((term, detail) => {
      for (const pattern of term.include) {
        const found = candidate(rule, position, sub++, "object-host", target, detail, pattern);
        side.hosts.insert(pattern, found);
      }
    });
  }

  private addService(side: DestinationLists, rule: number, position: number, target: number) {
    const service = this.policy.services[target];
    service?.forms.forEach((form: HostForm, detail) => {
      const found = candidate(
        rule,
        position,
        detail + 1,
        "service-form",
        target,
        detail,
        form.host,
      );
      side.hosts.insert(form.host, found);
    });
  }
}
