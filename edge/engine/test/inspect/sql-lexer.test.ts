import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lexSql } from "../../src/inspect/waf/sql-lexer.ts";
import { lexSql as oracle } from "../fixtures/sql-lexer-oracle.ts";

// Every class of char the lexer treats differently: ASCII letters and digits, word chars,
// whitespace of every kind a `\s` matches, quotes, operators, comment openers, non-ASCII
// letters and digits, and chars that are neither.
const CHARS = [
  ..."aZ_$@.0 9\t\n\r\v\f'\"`()-,;#/*=<>!|&+%^~:\\",
  ..."\u00a0\u1680\u2000\u2028\u202f\u3000\ufeff\u200b",
  ..."ßéЖ漢\u0661\u00b2\u2160",
];
const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 40 }).map((a) => a.join(""));

describe("SQL lexer fast paths", () => {
  it("lexes every input exactly as the regex-per-char lexer did", () => {
    fc.assert(
      fc.property(text, fc.constantFrom(undefined, "'", '"', "`"), (value, quote) => {
        expect(lexSql(value, quote)).toEqual(oracle(value, quote));
      }),
      { numRuns: 20000 },
    );
  });

  it("agrees on long words, including the 256-char bound and a non-ASCII letter past it", () => {
    for (const value of [
      "a".repeat(300),
      `${"a".repeat(255)}é rest`,
      `${"a".repeat(256)}é rest`,
      `x${"é".repeat(260)}`,
      "Haßelt select",
      "über_alles1 or 1=1",
    ]) {
      expect(lexSql(value)).toEqual(oracle(value));
    }
  });

  it("agrees for every code unit after a word and between words", () => {
    for (let code = 0; code < 0x10000; code++) {
      const value = `ab${String.fromCharCode(code)}cd ${String.fromCharCode(code)}`;
      expect(lexSql(value), `U+${code.toString(16)}`).toEqual(oracle(value));
    }
  });
});
