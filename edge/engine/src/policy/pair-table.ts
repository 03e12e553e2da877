import type { Candidate } from "./candidates.ts";

/**
 * Pair lists grouped by row (a source object, or a destination key) and then by the other
 * side's id, flat: the ids of row `r` are `ids[offsets[r]]` up to `ids[offsets[r + 1]]`,
 * ascending, and `lists[i]` belongs to `ids[i]`. One row's ids sit side by side, so probing
 * them for a flow's few ids of the other side reads a cache line or two.
 */
export interface PairTable {
  readonly offsets: Uint32Array;
  readonly ids: Int32Array;
  readonly lists: readonly Candidate[][];
  /**
   * Per row, FILTER_WORDS words of a bitset over `id % FILTER_BITS` of the row's ids: a probe
   * for an id whose bit is clear is answered without touching the row, and a row sharing no
   * bit with a flow's ids (`idMask`) is passed over whole. The ids of a busy row grow with
   * the rule count; the filter keeps most probes of a flow's ids at a word test.
   */
  readonly filter: Uint32Array;
}

export const FILTER_WORDS = 4;
const FILTER_BITS = FILTER_WORDS * 32;

/** The filter bitset of some ids, in the layout of one PairTable.filter row, into `mask`. */
export function idMask(ids: ArrayLike<number>, mask = new Uint32Array(FILTER_WORDS)): Uint32Array {
  mask.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const bit = (ids[i] ?? 0) % FILTER_BITS;
    mask[bit >>> 5] = (mask[bit >>> 5] ?? 0) | (1 << (bit & 31));
  }
  return mask;
}

/**
 * Appends to `out` the lists of one row under the given ids of the other side (ascending,
 * `mask` their idMask). The row's filter passes over a row sharing none of their bits, and
 * each id whose bit the row lacks, so only the ids the row may hold are binary-searched, each
 * search starting past the last.
 */
export function probePairs(
  table: PairTable,
  row: number,
  ids: ArrayLike<number>,
  mask: Uint32Array,
  out: Candidate[][],
): void {
  let low = table.offsets[row] ?? 0;
  const end = table.offsets[row + 1] ?? 0;
  if (low === end) return;
  const { filter } = table;
  const f = row * FILTER_WORDS;
  let shared = 0;
  for (let w = 0; w < FILTER_WORDS; w++) shared |= (filter[f + w] ?? 0) & (mask[w] ?? 0);
  if (shared === 0) return;
  for (let i = 0; i < ids.length && low < end; i++) {
    const id = ids[i] ?? -1;
    const bit = id % FILTER_BITS;
    if (((filter[f + (bit >>> 5)] ?? 0) & (1 << (bit & 31))) === 0) continue;
    let high = end;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if ((table.ids[mid] ?? 0) < id) low = mid + 1;
      else high = mid;
    }
    if (low < end && table.ids[low] === id) out.push(table.lists[low++] as Candidate[]);
  }
}

export function pairTable(
  rows: number,
  byRow: ReadonlyMap<number, ReadonlyMap<number, Candidate[]>>,
): PairTable {
  const offsets = new Uint32Array(rows + 1);
  const filter = new Uint32Array(rows * FILTER_WORDS);
  const ids: number[] = [];
  const lists: Candidate[][] = [];
  for (let row = 0; row < rows; row++) {
    offsets[row] = ids.length;
    const entries = [...(byRow.get(row) ?? [])].sort((a, b) => a[0] - b[0]);
    filter.set(idMask(entries.map(([id]) => id)), row * FILTER_WORDS);
    for (const [id, list] of entries) {
      ids.push(id);
      lists.push(list);
    }
  }
  offsets[rows] = ids.length;
  return { offsets, ids: Int32Array.from(ids), lists, filter };
}

/** Files a list under row and id, creating both levels on demand. */
export function nested(byRow: Map<number, Map<number, Candidate[]>>, row: number, id: number) {
  let inner = byRow.get(row);
  if (!inner) {
    inner = new Map();
    byRow.set(row, inner);
  }
  let list = inner.get(id);
  if (!list) {
    list = [];
    inner.set(id, list);
  }
  return list;
}
