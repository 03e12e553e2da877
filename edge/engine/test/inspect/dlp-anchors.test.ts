import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BLOCK } from "../../src/inspect/dlp/anchors.ts";
import { BUILTIN_DETECTORS, scanBuiltins } from "../../src/inspect/index.ts";

const ALL = new Set<string>(BUILTIN_DETECTORS);

/** One valid finding of each detector, as a customer's payload would carry it. */
const PLANTED: [string, string][] = [
  ["credit-card", "4111 1111 1111 1111"],
  ["credit-card", "5555-5555-5555-4444"],
  ["credit-card", "378282246310005"],
  ["us-ssn", "123-45-6789"],
  ["iban", "DE89 3704 0044 0532 0130 00"],
  ["iban", "GB82WEST12345698765432"],
  ["iban", "NL91ABNA0417164300"],
  ["iban", "de89 3704 0044 0532 0130 00"],
  ["iban", "de89370400440532013000"],
  ["iban", "gb82west12345698765432"],
  ["iban", "GB82 west 1234 5698 7654 32"],
  ["aws-access-key-id", "AKIAIOSFODNN7EXAMPLE"],
  ["aws-secret-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
  ["private-key", "-----BEGIN OPENSSH PRIVATE KEY-----"],
  ["private-key", "-----BEGIN PRIVATE KEY-----"],
  ["jwt", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFU"],
  ["email", "jane.doe@example.com"],
];

/** Filler that looks like API traffic: words, short numbers, capitals, JSON punctuation. */
const filler = fc
  .array(
    fc.constantFrom("the ", "order ", "12 ", "3.50", '{"id":', "42,", "NY ", "ABC-1 ", "\n", "x"),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("anchor-sampled DLP scan", () => {
  it("finds a planted value wherever it falls relative to the sampling stride", () => {
    fc.assert(
      fc.property(
        filler,
        fc.constantFrom(...PLANTED),
        filler,
        (before, [detector, value], after) => {
          const text = `${before} ${value} ${after}`;
          const found = scanBuiltins(text, ALL).map((h) => h.detector);
          expect(found, text).toContain(detector);
        },
      ),
      { numRuns: 600 },
    );
  });

  it("finds every value of a long body exactly once, in order", () => {
    const values = PLANTED.map(([, v]) => v);
    const text = Array.from(
      { length: 200 },
      (_, i) => `rec ${i}: ${values[i % values.length]};`,
    ).join("\n");
    const hits = scanBuiltins(text, ALL);
    expect(hits.map((h) => h.start)).toEqual([...hits.map((h) => h.start)].sort((a, b) => a - b));
    for (const [detector] of PLANTED) {
      const expected = Array.from({ length: 200 }, (_, i) => PLANTED[i % PLANTED.length]).filter(
        (p) => p?.[0] === detector,
      ).length;
      const got = hits.filter((h) => h.detector === detector).length;
      expect(got, detector).toBe(expected);
    }
  });

  it.each([
    ["with a key id", PLANTED],
    // Without one, secrets are found from their labels, searched block by block.
    ["without a key id", PLANTED.filter(([d]) => d !== "aws-access-key-id")],
  ])(
    "finds the same values in ASCII and Latin-1 bodies across the scan's blocks, %s",
    (_n, planted) => {
      // Over 200 KB, so values fall on the edges of the blocks that a body is scanned in; the
      // Latin-1 body is the same with an "é" for every ";", and is sampled over the string.
      const ascii = Array.from(
        { length: 4000 },
        (_, i) => `${"x".repeat(i % 23)} ${planted[i % planted.length]?.[1]};`,
      ).join("\n");
      const latin = ascii.replaceAll(";", "\u00e9");
      const hits = scanBuiltins(ascii, ALL);
      expect(hits.length).toBe(4000);
      expect(scanBuiltins(latin, ALL)).toEqual(hits);
      for (const [detector] of planted)
        expect(hits.filter((h) => h.detector === detector).length, detector).toBe(
          Array.from({ length: 4000 }, (_, i) => planted[i % planted.length]?.[0]).filter(
            (d) => d === detector,
          ).length,
        );
    },
  );

  it("finds a value that straddles the edge between two of the scan's blocks", () => {
    for (const [detector, value] of PLANTED)
      for (let at = BLOCK - value.length; at <= BLOCK + 1; at++) {
        const text = `${" ".repeat(at)}${value} end ${" ".repeat(BLOCK)}`;
        for (const body of [text, `${text}\u00e9`]) {
          const found = scanBuiltins(body, ALL).map((h) => [h.detector, h.start]);
          expect(found, `${value} at ${at}`).toContainEqual([detector, expect.any(Number)]);
        }
      }
  });

  it("reports a card once wherever the sampling stride falls on it", () => {
    for (let pad = 0; pad < 24; pad++) {
      const text = `${"x".repeat(pad)} card 4111 1111 1111 1111 mail 1`;
      expect(
        scanBuiltins(text, ALL).map((h) => h.detector),
        text,
      ).toEqual(["credit-card"]);
    }
  });

  it("reports a lower-case IBAN once, and no card inside it", () => {
    const text = "iban gb82 west 1234 5698 7654 32 and de89 3704 0044 0532 0130 00.";
    expect(scanBuiltins(text, ALL).map((h) => [h.detector, h.evidence])).toEqual([
      ["iban", "GB82…32"],
      ["iban", "DE89…00"],
    ]);
  });

  it.each([
    ["a lower-case IBAN with a wrong check digit", "de88 3704 0044 0532 0130 00"],
    ["one of the wrong length", "de89 3704 0044 0532 0130 0"],
    ["a reference glued to a word", "xde89370400440532013000"],
    ["a product code", "sku ab12 3456 7890 1234 5678"],
    ["a header that is not a private key", "-----BEGIN PUBLIC KEY-----"],
  ])("stays quiet on %s", (_name, text) => {
    expect(scanBuiltins(`ref ${text} end`, ALL)).toEqual([]);
  });

  it("reports only the detectors that are enabled", () => {
    const text = "card 4111 1111 1111 1111 key AKIAIOSFODNN7EXAMPLE mail a@b.example";
    expect(scanBuiltins(text, new Set(["email"])).map((h) => h.detector)).toEqual(["email"]);
    expect(scanBuiltins(text, new Set(["aws-secret-key"]))).toEqual([]);
  });
});
