import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CloudParseError, detectAndParse } from "../../src/parsers/index.ts";

/** Random documents shaped like the outputs the parsers recognise, with random leaves. */
const leaf = fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.ipV4());
const record = fc.dictionary(
  fc.constantFrom("InstanceId", "PrivateIpAddress", "Tags", "id", "name", "zone", "VpcId", "Name"),
  fc.oneof(leaf, fc.array(fc.dictionary(fc.constantFrom("Key", "Value"), leaf))),
);
const document = fc.oneof(
  fc.record({ Reservations: fc.array(fc.record({ Instances: fc.array(record) })) }),
  fc.record({ Vpcs: fc.array(record) }),
  fc.record({ Buckets: fc.array(record) }),
  fc.array(record),
  fc.jsonValue(),
);

describe("parsers fail only with CloudParseError", () => {
  it("either parses or names the problem, for arbitrary documents", () => {
    fc.assert(
      fc.property(document, (value) => {
        try {
          const parsed = detectAndParse("random.json", JSON.stringify(value));
          expect(Array.isArray(parsed.inventory.assets)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(CloudParseError);
          expect((error as Error).message).toMatch(/^random\.json: /);
        }
      }),
      { numRuns: 500 },
    );
  }, 120_000);
});
