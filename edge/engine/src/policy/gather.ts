import type { GatedSide, PolicyIndex } from "./build-index.ts";
import { type Candidate, KEY_INFO, OBJECT_INFO } from "./candidates.ts";
import type { NormalizedFlow } from "./flow.ts";
import type { PairTable } from "./pair-table.ts";

/**
 * About how many probes of the pair table cost as much as verifying one candidate; it
 * weighs the pair side's fixed cost against the other sides' list lengths.
 */
const PROBES_PER_CANDIDATE = 8;

/** A row this many times longer than the ids probed is binary-searched instead of merged. */
const SEARCH_RATIO = 8;

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
function gatedSide(index: PolicyIndex, src: Uint32Array, reached: readonly number[]): GatedSide {
  if (index.side) return index.side;
  const { objectInfo, keyInfo } = index.lists;
  const anyBySource = total(objectInfo, OBJECT_INFO.stride, OBJECT_INFO.anyBySource, src);
  const bySource = total(objectInfo, OBJECT_INFO.stride, OBJECT_INFO.bySource, src);
  const byDestination = total(keyInfo, KEY_INFO.stride, KEY_INFO.gated, reached) + anyBySource;
  const probes = (src.length * reached.length) / PROBES_PER_CANDIDATE;
  const pairs = probes + total(keyInfo, KEY_INFO.stride, KEY_INFO.wide, reached) + anyBySource;
  if (bySource <= byDestination && bySource <= pairs) return "source";
  return byDestination <= pairs ? "destination" : "pairs";
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

  /**
   * The pair lists of one row under the given ids of the other side (both ascending): a
   * merge of the two id runs, or a binary search per id when the row is much longer.
   */
  pairs(table: PairTable, row: number, ids: ArrayLike<number>): void {
    let at = table.offsets[row] ?? 0;
    const end = table.offsets[row + 1] ?? 0;
    if (end - at > SEARCH_RATIO * ids.length) {
      this.searchPairs(table, at, end, ids);
      return;
    }
    let i = 0;
    while (at < end && i < ids.length) {
      const mine = table.ids[at] ?? 0;
      const theirs = ids[i] ?? 0;
      if (mine === theirs) this.add(table.lists[at]);
      if (mine <= theirs) at++;
      if (theirs <= mine) i++;
    }
  }

  private searchPairs(table: PairTable, start: number, end: number, ids: ArrayLike<number>) {
    let low = start;
    for (let i = 0; i < ids.length && low < end; i++) {
      const id = ids[i] ?? -1;
      let high = end;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if ((table.ids[mid] ?? 0) < id) low = mid + 1;
        else high = mid;
      }
      if (low < end && table.ids[low] === id) this.add(table.lists[low++]);
    }
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

  const side = gatedSide(index, src, reached);
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
  // Probe from the smaller side: a few keys read a row each instead of one per source object.
  if (reached.length < src.length) for (const key of reached) out.pairs(lists.pairsByKey, key, src);
  else for (const object of src) out.pairs(lists.pairsBySource, object, reached);
  return out.lists;
}
