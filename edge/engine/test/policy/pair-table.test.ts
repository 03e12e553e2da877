import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Candidate } from "../../src/policy/candidates.ts";
import { idMask, pairTable, probePairs } from "../../src/policy/pair-table.ts";

/** A stand-in list per (row, id), recognisable by identity; probing never reads candidates. */
function listOf(row: number, id: number): Candidate[] {
  return [{ key: row * 1e6 + id } as Candidate];
}

function tableOf(rows: number[][]) {
  const byRow = new Map(
    rows.map((ids, row) => [row, new Map(ids.map((id) => [id, listOf(row, id)]))]),
  );
  return pairTable(rows.length, byRow);
}

const sortedIds = fc
  .uniqueArray(fc.integer({ min: 0, max: 2000 }), { maxLength: 60 })
  .map((ids) => ids.sort((a, b) => a - b));

describe("pair table probes", () => {
  it("find exactly the ids a row holds, including ids sharing a filter bit with absent ones", () => {
    fc.assert(
      fc.property(fc.array(sortedIds, { minLength: 1, maxLength: 6 }), sortedIds, (rows, probe) => {
        const table = tableOf(rows);
        const mask = idMask(probe);
        rows.forEach((ids, row) => {
          const out: Candidate[][] = [];
          probePairs(table, row, probe, mask, out);
          const held = new Set(ids);
          expect(out.map((list) => (list[0]?.key ?? 0) - row * 1e6)).toEqual(
            probe.filter((id) => held.has(id)),
          );
        });
      }),
      { numRuns: 300 },
    );
  });

  it("passes over ids whose filter bit is set by another id of the row", () => {
    // 5 and 133 share a bit of the 128-bit filter; the row holds 133 only.
    const table = tableOf([[133, 700]]);
    const out: Candidate[][] = [];
    probePairs(table, 0, [5, 700], idMask([5, 700]), out);
    expect(out.map((list) => list[0]?.key)).toEqual([700]);
  });
});
