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
}

export function pairTable(
  rows: number,
  byRow: ReadonlyMap<number, ReadonlyMap<number, Candidate[]>>,
) {
  const offsets = new Uint32Array(rows + 1);
  const ids: number[] = [];
  const lists: Candidate[][] = [];
  for (let row = 0; row < rows; row++) {
    offsets[row] = ids.length;
    const entries = [...(byRow.get(row) ?? [])].sort((a, b) => a[0] - b[0]);
    for (const [id, list] of entries) {
      ids.push(id);
      lists.push(list);
    }
  }
  offsets[rows] = ids.length;
  return { offsets, ids: Int32Array.from(ids), lists };
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
