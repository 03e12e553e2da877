import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkUrlLexical } from "../../src/ssrf/index.ts";

/** Blocked IPv4 ranges as [first address, size]. */
const BLOCKED_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00000000, 2 ** 24],
  [0x0a000000, 2 ** 24],
  [0x64400000, 2 ** 22],
  [0x7f000000, 2 ** 24],
  [0xa9fe0000, 2 ** 16],
  [0xac100000, 2 ** 20],
  [0xc0000000, 2 ** 8],
  [0xc0a80000, 2 ** 16],
  [0xc6120000, 2 ** 17],
  [0xe0000000, 2 ** 29],
];

const blockedAddress = fc
  .tuple(fc.constantFrom(...BLOCKED_RANGES), fc.nat())
  .map(([[first, size], offset]) => first + (offset % size));

type Radix = "dec" | "oct" | "hex";
const radix = fc.constantFrom<Radix>("dec", "oct", "hex");

/** Writes a number in a radix, with optional extra leading zeros and upper-case hex. */
function spell(value: number, base: Radix, zeros: number, upper: boolean): string {
  if (base === "dec") return value.toString(10);
  if (base === "oct") return `0${"0".repeat(zeros)}${value.toString(8)}`;
  const hex = `0x${"0".repeat(zeros)}${value.toString(16)}`;
  return upper ? hex.toUpperCase() : hex;
}

/** Splits a 32-bit address into 1-4 WHATWG parts (the last part takes the remaining bytes). */
function partsOf(address: number, count: number): number[] {
  const bytes = [24, 16, 8, 0].map((shift) => (address >>> shift) & 0xff);
  const leading = bytes.slice(0, count - 1);
  const rest = bytes.slice(count - 1).reduce((acc, byte) => acc * 256 + byte, 0);
  return [...leading, rest];
}

const spelling = fc
  .record({
    address: blockedAddress,
    count: fc.integer({ min: 1, max: 4 }),
    radixes: fc.array(radix, { minLength: 4, maxLength: 4 }),
    zeros: fc.integer({ min: 0, max: 3 }),
    upper: fc.boolean(),
    trailingDot: fc.boolean(),
    ipv6: fc.constantFrom("none", "mapped", "nat64", "6to4"),
  })
  .map((s) => {
    const parts = partsOf(s.address, s.count);
    const text = parts.map((p, i) => spell(p, s.radixes[i] ?? "dec", s.zeros, s.upper)).join(".");
    const hex = s.address.toString(16).padStart(8, "0");
    const [high, low] = [hex.slice(0, 4), hex.slice(4)];
    const host = {
      none: `${text}${s.trailingDot ? "." : ""}`,
      mapped: `[::ffff:${high}:${low}]`,
      nat64: `[64:ff9b::${high}:${low}]`,
      "6to4": `[2002:${high}:${low}::1]`,
    }[s.ipv6];
    return { address: s.address, url: `http://${host}/` };
  });

describe("any IPv4 in a blocked range is blocked whatever its spelling", () => {
  it("holds for random addresses, radixes, part counts and IPv6 carriers", () => {
    fc.assert(
      fc.property(spelling, ({ url }) => {
        const result = checkUrlLexical(url);
        expect(result.verdict, `${url} -> ${JSON.stringify(result)}`).toBe("block");
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
