import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssetSets } from "../../src/policy/asset-sets.ts";
import { evaluateSelector, parseSelector } from "../../src/selector/index.ts";
import { asset } from "./fixtures.ts";

const KEYS = ["tag.Role", 'tag["Cost Center"]', "os.version", "security_groups", "region", "zone"];
const VALUES = ["web", "db", "7.4", "7.10", "sg-1", "us-east-1", ""];

const atom = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.constantFrom("==", "!=", "~", "~*", "startswith", "endswith"),
      fc.constantFrom(...VALUES, "W*", "*1"),
    )
    .map(([key, op, value]) => `${key} ${op} ${JSON.stringify(value)}`),
  fc
    .tuple(
      fc.constantFrom(...KEYS),
      fc.constantFrom(">=", "<", ">"),
      fc.constantFrom("7", "7.4", "7.9.1"),
    )
    .map(([k, op, v]) => `${k} ${op} "${v}"`),
  fc
    .tuple(fc.constantFrom(...KEYS), fc.boolean(), fc.subarray(VALUES, { minLength: 1 }))
    .map(([k, neg, vs]) => `${k} ${neg ? "not in" : "in"} ${JSON.stringify(vs)}`),
  fc.constantFrom(...KEYS).map((k) => `has ${k}`),
);
const selector = fc.letrec<{ e: string }>((tie) => ({
  e: fc.oneof(
    { depthSize: "small" },
    atom,
    fc
      .tuple(tie("e"), fc.constantFrom("and", "or"), tie("e"))
      .map(([l, op, r]) => `(${l}) ${op} (${r})`),
    tie("e").map((e) => `not (${e})`),
  ),
})).e;

const assetArb = fc.record(
  {
    role: fc.constantFrom(...VALUES, "Web"),
    cost: fc.constantFrom("1", "42"),
    version: fc.constantFrom("7.4", "7.10", "7.4.0", "seven"),
    groups: fc.subarray(["sg-1", "sg-2"]),
    zone: fc.constantFrom("us-east-1a", "us-east-1b"),
  },
  { requiredKeys: [] },
);

describe("selector evaluation over a whole inventory", () => {
  it("selects exactly the assets that per-asset evaluation selects", () => {
    fc.assert(
      fc.property(
        fc.array(assetArb, { maxLength: 70 }),
        fc.array(selector, { minLength: 1, maxLength: 5 }),
        (rows, selectors) => {
          const assets = rows.map((row, i) =>
            asset(`a-${i}`, {
              ...(row.zone ? { zone: row.zone } : {}),
              tags: {
                ...(row.role !== undefined ? { Role: row.role } : {}),
                ...(row.cost ? { "Cost Center": row.cost } : {}),
              },
              attributes: {
                ...(row.version ? { "os.version": row.version } : {}),
                ...(row.groups ? { security_groups: row.groups } : {}),
              },
            }),
          );
          const sets = new AssetSets(assets);
          for (const text of selectors) {
            const node = parseSelector(text);
            const selected: number[] = [];
            sets.forEach(sets.evaluate(node), (position) => selected.push(position));
            const expected = assets.flatMap((a, i) => (evaluateSelector(node, a) ? [i] : []));
            expect(selected, text).toEqual(expected);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
