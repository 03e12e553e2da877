import type { DestinationKeys } from "./destination-keys.ts";
import { nested, type PairTable, pairTable } from "./pair-table.ts";
import type { PortRange, ResolvedObject, ResolvedService } from "./resolved.ts";

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
  /**
   * The lowest and highest port the rule admits, kept here so that most candidates of other
   * ports are passed over without loading the rule (portAllowed still has the last word).
   */
  readonly portLow: number;
  readonly portHigh: number;
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

/**
 * A list per key (destination key or object index), dense so that a lookup is a plain
 * element load; keys without rules share one empty list.
 */
export type KeyedLists = readonly Candidate[][];

/** Candidate lists of a policy; every list is sorted by candidate key. */
export interface CandidateLists {
  /** Rules without sources, by destination key; every flow consults the keys it reaches. */
  readonly open: KeyedLists;
  /** Rules with sources, by destination key: the destination side of those rules. */
  readonly gated: KeyedLists;
  /**
   * Rules with sources, by source object and then destination key, so a flow's work on them
   * is bounded by its source objects times its destination keys, whatever the rule count.
   */
  readonly pairsBySource: PairTable;
  /** The same pair lists by destination key and then source object. */
  readonly pairsByKey: PairTable;
  /** Rules with sources whose pairs would exceed the pair limit, by destination key. */
  readonly wide: KeyedLists;
  /** Rules with sources but no destinations, under each source object. */
  readonly anyBySource: KeyedLists;
  /** Every rule with sources as one `source` candidate, under each source object. */
  readonly bySource: KeyedLists;
  /**
   * Per object, OBJECT_INFO.stride numbers side by side: the lengths of its `bySource` and
   * `anyBySource` lists; per destination key, KEY_INFO.stride: the lengths of its `open`,
   * `gated` and `wide` lists. Pricing and probing a flow's sides reads one cache line per
   * object or key instead of a list object for each.
   */
  readonly objectInfo: Int32Array;
  readonly keyInfo: Int32Array;
  /** Rules with neither sources nor destinations and a few ports, by port. */
  readonly anyByPort: ReadonlyMap<number, Candidate[]>;
  /** Rules with neither sources nor destinations and many or all ports. */
  readonly anyWide: readonly Candidate[];
}

/** Where each figure sits in CandidateLists.objectInfo. */
export const OBJECT_INFO = { stride: 2, bySource: 0, anyBySource: 1 };
/** Where each figure sits in CandidateLists.keyInfo. */
export const KEY_INFO = { stride: 4, open: 0, gated: 1, wide: 2 };

/** A rule's pairs (distinct sources times destination keys) above this go to `wide`. */
export const DEFAULT_PAIR_LIMIT = 256;
const PORTS_PER_BUCKET_LIMIT = 16;

/** The rule a candidate is built for, with the bounds of its ports. */
interface RuleAt {
  readonly rule: number;
  readonly portLow: number;
  readonly portHigh: number;
}

function candidateKey(rule: number, position: number, sub: number): number {
  return rule * 2 ** 28 + position * 2 ** 16 + sub;
}

/**
 * Every candidate is built here with its fields in one order, so they share one hidden
 * class and the merge in `decide` reads them through monomorphic property loads.
 */
function candidate(
  { rule, portLow, portHigh }: RuleAt,
  position: number,
  sub: number,
  via: Via,
  target = -1,
  detail = 0,
  pattern = "",
): Candidate {
  const key = candidateKey(rule, position, sub);
  return { key, rule, portLow, portHigh, position, via, target, detail, pattern };
}

type SparseLists = Map<number, Candidate[]>;

function append(lists: SparseLists, key: number, value: Candidate): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

const EMPTY_LIST: Candidate[] = [];

function dense<T>(sparse: ReadonlyMap<number, T>, length: number, empty: T): T[] {
  return Array.from({ length }, (_, key) => sparse.get(key) ?? empty);
}

/** Packs the lengths of parallel lists into rows of `stride` numbers, one row per index. */
function infoRows(count: number, stride: number, columns: [number, KeyedLists][]): Int32Array {
  const info = new Int32Array(count * stride);
  for (let i = 0; i < count; i++)
    for (const [field, lists] of columns) info[i * stride + field] = lists[i]?.length ?? 0;
  return info;
}

/** Accumulates candidate lists; rules are added in order so every list stays sorted by key. */
export class CandidateBuilder {
  private readonly open: SparseLists = new Map();
  private readonly gated: SparseLists = new Map();
  private readonly pairs = new Map<number, Map<number, Candidate[]>>();
  private readonly wide: SparseLists = new Map();
  private readonly anyBySource: SparseLists = new Map();
  private readonly bySource: SparseLists = new Map();
  private readonly anyByPort = new Map<number, Candidate[]>();
  private readonly anyWide: Candidate[] = [];

  constructor(
    private readonly objects: readonly ResolvedObject[],
    private readonly services: readonly ResolvedService[],
    private readonly keys: DestinationKeys,
    private readonly pairLimit: number,
  ) {}

  /** The finished lists, dense over every destination key and every object. */
  lists(): CandidateLists {
    const keyCount = this.keys.size;
    const objects = this.objects.length;
    const open = dense(this.open, keyCount, EMPTY_LIST);
    const gated = dense(this.gated, keyCount, EMPTY_LIST);
    const wide = dense(this.wide, keyCount, EMPTY_LIST);
    const keyInfo = infoRows(keyCount, KEY_INFO.stride, [
      [KEY_INFO.open, open],
      [KEY_INFO.gated, gated],
      [KEY_INFO.wide, wide],
    ]);
    const anyBySource = dense(this.anyBySource, objects, EMPTY_LIST);
    const bySource = dense(this.bySource, objects, EMPTY_LIST);
    const objectInfo = infoRows(objects, OBJECT_INFO.stride, [
      [OBJECT_INFO.bySource, bySource],
      [OBJECT_INFO.anyBySource, anyBySource],
    ]);
    const byKey = new Map<number, Map<number, Candidate[]>>();
    for (const [source, inner] of this.pairs)
      for (const [key, list] of inner) nested(byKey, key, source).push(...list);
    return {
      open,
      gated,
      pairsBySource: pairTable(objects, this.pairs),
      pairsByKey: pairTable(keyCount, byKey),
      wide,
      anyBySource,
      bySource,
      objectInfo,
      keyInfo,
      anyByPort: this.anyByPort,
      anyWide: this.anyWide,
    };
  }

  add(
    rule: number,
    ports: readonly PortRange[] | null,
    sources: Int32Array | null,
    destinations: readonly IndexedDestination[] | null,
  ): void {
    const at: RuleAt = {
      rule,
      portLow: ports?.[0]?.[0] ?? 0,
      portHigh: ports ? (ports[ports.length - 1]?.[1] ?? -1) : 65535,
    };
    const distinct = sources ? [...new Set(sources)].filter((s) => s >= 0) : [];
    if (sources) {
      const whole = candidate(at, 0, 0, "source");
      for (const source of distinct) append(this.bySource, source, whole);
    }
    if (destinations) {
      const keyed = this.destinationCandidates(at, destinations);
      if (!sources) for (const [key, found] of keyed) append(this.open, key, found);
      else this.addGated(distinct, keyed);
      return;
    }
    const whole = candidate(at, 0, 0, "any");
    if (sources) for (const source of distinct) append(this.anyBySource, source, whole);
    else this.addAnyByPort(ports, whole);
  }

  private addGated(sources: readonly number[], keyed: readonly [number, Candidate][]): void {
    for (const [key, found] of keyed) append(this.gated, key, found);
    if (sources.length * keyed.length > this.pairLimit) {
      for (const [key, found] of keyed) append(this.wide, key, found);
      return;
    }
    for (const source of sources)
      for (const [key, found] of keyed) nested(this.pairs, source, key).push(found);
  }

  /** Each way the rule's destinations can be reached, with the key a flow reaches it by. */
  private destinationCandidates(
    rule: RuleAt,
    destinations: readonly IndexedDestination[],
  ): [number, Candidate][] {
    const keyed: [number, Candidate][] = [];
    destinations.forEach(({ type, target }, position) => {
      if (type === "object") this.objectCandidates(keyed, rule, position, target);
      else this.serviceCandidates(keyed, rule, position, target);
    });
    return keyed;
  }

  private objectCandidates(
    out: [number, Candidate][],
    rule: RuleAt,
    position: number,
    target: number,
  ) {
    const object = this.objects[target];
    if (!object) return;
    if (object.prefixes.length > 0)
      out.push([target, candidate(rule, position, 0, "address", target)]);
    let sub = 1;
    object.hosts.forEach((term, detail) => {
      for (const pattern of term.include) {
        const found = candidate(rule, position, sub++, "object-host", target, detail, pattern);
        out.push([this.keys.key(pattern, null), found]);
      }
    });
  }

  private serviceCandidates(
    out: [number, Candidate][],
    rule: RuleAt,
    position: number,
    target: number,
  ) {
    this.services[target]?.forms.forEach((form, detail) => {
      const sub = detail + 1;
      const found = candidate(rule, position, sub, "service-form", target, detail, form.host);
      out.push([this.keys.key(form.host, form.pathPrefix), found]);
    });
  }

  private addAnyByPort(ports: readonly PortRange[] | null, found: Candidate): void {
    const width =
      ports?.reduce((sum, [low, high]) => sum + high - low + 1, 0) ?? Number.POSITIVE_INFINITY;
    if (!ports || width > PORTS_PER_BUCKET_LIMIT) {
      this.anyWide.push(found);
      return;
    }
    for (const [low, high] of ports) {
      for (let port = low; port <= high; port++) {
        const list = this.anyByPort.get(port);
        if (list) list.push(found);
        else this.anyByPort.set(port, [found]);
      }
    }
  }
}
