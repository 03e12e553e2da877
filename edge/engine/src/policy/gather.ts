import type { GatedSide, PolicyIndex } from "./build-index.ts";
import { type Candidate, KEY_INFO, OBJECT_INFO } from "./candidates.ts";
import type { NormalizedFlow } from "./flow.ts";
import { FILTER_WORDS, idMask, type PairTable, probePairs } from "./pair-table.ts";

/**
 * About how many pair-table reads (a row's bounds, or an entry of a row) cost as much as
 * verifying one candidate; it weighs the pair side's fixed cost against the other sides'
 * list lengths. Row filters turn most ids away with a bit test, so a read is cheap.
 */
const READS_PER_CANDIDATE = 16;

/** The filter bits of the ids a flow probes, reused: deciding is synchronous. */
const probeMask = new Uint32Array(FILTER_WORDS);

/** Sums one figure of the info rows of the given objects or keys. */
function total(info: Int32Array, stride: number, field: number, at: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < at.length; i++) sum += info[(at[i] ?? 0) * stride + field] ?? 0;
  return sum;
}

/**
 * The destination keys a flow reaches, ascending: objects holding its address (keys below
 * the object count), then the host patterns its primary name and path reach.
 */
function reachedKeys(index: PolicyIndex, flow: NormalizedFlow, dst: Uint32Array): number[] {
  const keys = Array.from(dst);
  const primary = flow.names[0];
  if (primary === undefined) return keys;
  const hosts: number[] = [];
  index.keys.match(primary, flow.path, hosts);
  hosts.sort((a, b) => a - b);
  for (const key of hosts) keys.push(key);
  return keys;
}

/**
 * Picks how this flow finds the rules with sources, by the work each way costs it: the
 * destination side (rules listed under the keys it reaches), the source side (rules listed
 * under its source objects, each checked against its destinations), or the pairs of both,
 * whose cost is bounded by source objects times keys however many rules there are.
 */
function gatedSide(
  index: PolicyIndex,
  src: Uint32Array,
  reached: readonly number[],
  probe: PairProbe,
): GatedSide {
  if (index.side) return index.side;
  const { objectInfo, keyInfo } = index.lists;
  const anyBySource = total(objectInfo, OBJECT_INFO.stride, OBJECT_INFO.anyBySource, src);
  const bySource = total(objectInfo, OBJECT_INFO.stride, OBJECT_INFO.bySource, src);
  const byDestination = total(keyInfo, KEY_INFO.stride, KEY_INFO.gated, reached) + anyBySource;
  const reads = (probe.rows.length + probe.entries) / READS_PER_CANDIDATE;
  const pairs = reads + total(keyInfo, KEY_INFO.stride, KEY_INFO.wide, reached) + anyBySource;
  if (bySource <= byDestination && bySource <= pairs) return "source";
  return byDestination <= pairs ? "destination" : "pairs";
}

/** The rows of one orientation of the pair tables that a flow probes, with the other side's ids. */
interface PairProbe {
  readonly table: PairTable;
  readonly rows: ArrayLike<number>;
  readonly ids: ArrayLike<number>;
  /** How many entries the rows hold together. */
  readonly entries: number;
}

/**
 * Probes the rows holding fewer entries in all (source objects by key, or keys by source
 * object): the filter of a sparse row turns away nearly every id, so few probes go on to
 * search the row.
 */
function pairProbe(index: PolicyIndex, src: Uint32Array, reached: readonly number[]): PairProbe {
  const { pairsBySource, pairsByKey } = index.lists;
  const bySource = entries(pairsBySource, src);
  const byKey = entries(pairsByKey, reached);
  if (byKey < bySource || (byKey === bySource && reached.length < src.length))
    return { table: pairsByKey, rows: reached, ids: src, entries: byKey };
  return { table: pairsBySource, rows: src, ids: reached, entries: bySource };
}

/** How many ids the given rows of a pair table hold together. */
function entries(table: PairTable, rows: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i] ?? 0;
    sum += (table.offsets[row + 1] ?? 0) - (table.offsets[row] ?? 0);
  }
  return sum;
}

/** Collects non-empty lists, reading their lengths from the info rows first. */
class Gathered {
  readonly lists: Candidate[][] = [];

  constructor(private readonly index: PolicyIndex) {}

  byKey(lists: readonly Candidate[][], field: number, keys: readonly number[]): void {
    const info = this.index.lists.keyInfo;
    for (const key of keys)
      if ((info[key * KEY_INFO.stride + field] ?? 0) > 0) this.add(lists[key]);
  }

  byObject(lists: readonly Candidate[][], field: number, objects: Uint32Array): void {
    const info = this.index.lists.objectInfo;
    for (const object of objects)
      if ((info[object * OBJECT_INFO.stride + field] ?? 0) > 0) this.add(lists[object]);
  }

  add(list: readonly Candidate[] | undefined): void {
    if (list && list.length > 0) this.lists.push(list as Candidate[]);
  }
}

/**
 * The sorted candidate lists that can concern a flow: rules without sources by the
 * destination keys it reaches and by port, and rules with sources by the side gatedSide
 * picks. `decide` merges them in rule order.
 */
export function candidateLists(
  index: PolicyIndex,
  flow: NormalizedFlow,
  src: Uint32Array,
  dst: Uint32Array,
): Candidate[][] {
  const { lists } = index;
  const out = new Gathered(index);
  const reached = reachedKeys(index, flow, dst);
  out.byKey(lists.open, KEY_INFO.open, reached);
  out.add(lists.anyByPort.get(flow.port));
  out.add(lists.anyWide);

  const probe = pairProbe(index, src, reached);
  const side = gatedSide(index, src, reached, probe);
  if (side === "source") {
    out.byObject(lists.bySource, OBJECT_INFO.bySource, src);
    return out.lists;
  }
  out.byObject(lists.anyBySource, OBJECT_INFO.anyBySource, src);
  if (side === "destination") {
    out.byKey(lists.gated, KEY_INFO.gated, reached);
    return out.lists;
  }
  out.byKey(lists.wide, KEY_INFO.wide, reached);
  const mask = idMask(probe.ids, probeMask);
  for (let i = 0; i < probe.rows.length; i++)
    probePairs(probe.table, probe.rows[i] ?? 0, probe.ids, mask, out.lists);
  return out.lists;
}
