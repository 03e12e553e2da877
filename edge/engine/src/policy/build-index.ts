import { DocumentError } from "../documents/errors.ts";
import { type IpPrefix, NetParseError, parseCidr } from "../net/index.ts";
import { decisiveSet } from "./decision.ts";
import { HostTrie } from "./host-trie.ts";
import { PrefixTable } from "./prefix-table.ts";
import {
  type PortRange,
  parseResolvedPolicy,
  type ResolvedPolicy,
  type ResolvedRule,
} from "./resolved.ts";
import type { HostForm } from "./services.ts";

/** How a candidate reached a rule, which decides what is left to verify. */
export type Via = "any" | "address" | "object-host" | "service-form";

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

/** A rule with references turned into indices. */
export interface IndexedRule {
  readonly rule: ResolvedRule;
  readonly ruleSetId: string;
  readonly sources: Int32Array | null;
}

/** The compiled, query-ready form of a resolved policy. Build once per bundle. */
export interface PolicyIndex {
  readonly policy: ResolvedPolicy;
  readonly objectIds: readonly string[];
  readonly prefixes: PrefixTable;
  readonly rules: readonly IndexedRule[];
  readonly decisiveEnd: number;
  readonly decisiveSet: number;
  readonly hosts: HostTrie<Candidate>;
  readonly byDestinationObject: readonly Candidate[][];
  readonly bySourceObject: readonly Candidate[][];
  readonly anyByPort: ReadonlyMap<number, Candidate[]>;
  readonly anyWide: readonly Candidate[];
}

const PORTS_PER_BUCKET_LIMIT = 16;

function candidateKey(rule: number, position: number, sub: number): number {
  return rule * 2 ** 28 + position * 2 ** 16 + sub;
}

function parsePrefixes(policy: ResolvedPolicy): IpPrefix[][] {
  return policy.objects.map((object, i) =>
    object.prefixes.map((text, j) => {
      try {
        return parseCidr(text);
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
 * prefix table for object membership, a host trie of every host-based destination, and
 * candidate lists by destination object, by source object (rules without destinations), and
 * by port (rules with neither). Throws DocumentError on a malformed payload.
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
      rules.push({ rule, ruleSetId: ruleSet.id, sources });
      builder.add(index, rule, sources, objectIndex, serviceIndex);
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
  private readonly hosts = new HostTrie<Candidate>();
  private readonly byDestinationObject: Candidate[][];
  private readonly bySourceObject: Candidate[][];
  private readonly anyByPort = new Map<number, Candidate[]>();
  private readonly anyWide: Candidate[] = [];

  constructor(
    private readonly policy: ResolvedPolicy,
    objectCount: number,
  ) {
    this.byDestinationObject = Array.from({ length: objectCount }, () => []);
    this.bySourceObject = Array.from({ length: objectCount }, () => []);
  }

  lists() {
    const { hosts, byDestinationObject, bySourceObject, anyByPort, anyWide } = this;
    return { hosts, byDestinationObject, bySourceObject, anyByPort, anyWide };
  }

  add(
    rule: number,
    resolved: ResolvedRule,
    sources: Int32Array | null,
    objects: Map<string, number>,
    services: Map<string, number>,
  ): void {
    if (resolved.destinations) {
      resolved.destinations.forEach((destination, position) => {
        if (destination.type === "object")
          this.addObject(rule, position, objects.get(destination.id) ?? -1);
        else this.addService(rule, position, services.get(destination.id) ?? -1);
      });
      return;
    }
    const any: Candidate = {
      key: candidateKey(rule, 0, 0),
      rule,
      position: 0,
      via: "any",
      target: -1,
      detail: 0,
      pattern: "",
    };
    if (sources) {
      for (const source of new Set(sources)) this.bySourceObject[source]?.push(any);
      return;
    }
    this.addAnyByPort(resolved.ports, any);
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

  private addObject(rule: number, position: number, target: number): void {
    const object = this.policy.objects[target];
    if (!object) return;
    const base = { rule, position, target };
    if (object.prefixes.length > 0) {
      this.byDestinationObject[target]?.push({
        ...base,
        key: candidateKey(rule, position, 0),
        via: "address",
        detail: 0,
        pattern: "",
      });
    }
    let sub = 1;
    object.hosts.forEach((term, detail) => {
      for (const pattern of term.include) {
        this.hosts.insert(pattern, {
          ...base,
          key: candidateKey(rule, position, sub++),
          via: "object-host",
          detail,
          pattern,
        });
      }
    });
  }

  private addService(rule: number, position: number, target: number): void {
    const service = this.policy.services[target];
    service?.forms.forEach((form: HostForm, detail) => {
      const key = candidateKey(rule, position, detail + 1);
      this.hosts.insert(form.host, {
        key,
        rule,
        position,
        via: "service-form",
        target,
        detail,
        pattern: form.host,
      });
    });
  }
}
