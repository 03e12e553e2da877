import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CanonicalJsonError, canonicalize, parseCanonical } from "../../src/bundle/index.ts";

const encode = (text: string) => new TextEncoder().encode(text);

describe("canonicalize (RFC 8785)", () => {
  it("orders members by UTF-16 code units, not by code points", () => {
    // U+1F600 is stored as the surrogates D83D DE00, which sort before U+FF61.
    const value = { "\uFF61": 1, "\u{1F600}": 2, b: 3, B: 4, "": 5 };
    expect(canonicalize(value)).toBe('{"":5,"B":4,"b":3,"\u{1F600}":2,"\uFF61":1}');
  });

  it("sorts nested objects and keeps array order", () => {
    const value = { z: [{ y: 1, x: 2 }, 3], a: { d: null, c: true } };
    expect(canonicalize(value)).toBe('{"a":{"c":true,"d":null},"z":[{"x":2,"y":1},3]}');
  });

  it("prints numbers the way ECMAScript does", () => {
    const cases: [number, string][] = [
      [-0, "0"],
      [1e21, "1e+21"],
      [1e-7, "1e-7"],
      [0.1 + 0.2, "0.30000000000000004"],
      [123456789012345680000, "123456789012345680000"],
      [5e-324, "5e-324"],
      [-1.5, "-1.5"],
    ];
    for (const [input, expected] of cases) {
      expect(canonicalize(input), `for ${input}`).toBe(expected);
    }
  });

  it("escapes only quote, backslash and control characters", () => {
    const value = 'q"b\\\u0001\n\t\u001f\u007f\u2028é/';
    expect(canonicalize(value)).toBe('"q\\"b\\\\\\u0001\\n\\t\\u001f\u007f\u2028é/"');
  });

  it("leaves out members whose value is undefined", () => {
    expect(canonicalize({ a: undefined, b: 1 })).toBe('{"b":1}');
  });

  it("refuses values JSON cannot carry and names where they are", () => {
    const refused: [unknown, string][] = [
      [{ a: [1, Number.NaN] }, "/a/1"],
      [{ a: Number.POSITIVE_INFINITY }, "/a"],
      [{ "x/y": "\uD800" }, "/x~1y"],
      [{ "\uDC00": 1 }, "/\uDC00"],
      [[undefined], "/0"],
      [{ when: new Date(0) }, "/when"],
      [{ big: 1n }, "/big"],
      [new Map(), ""],
    ];
    for (const [input, path] of refused) {
      let caught: unknown;
      try {
        canonicalize(input);
      } catch (error) {
        caught = error;
      }
      expect(caught, `for ${String(path)}`).toBeInstanceOf(CanonicalJsonError);
      expect((caught as CanonicalJsonError).path).toBe(path);
    }
  });

  it("refuses cycles instead of overflowing the stack", () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalize(cyclic)).toThrow(/nesting deeper than 256 levels/);
  });

  it("is stable: parsing and re-serialising canonical output changes nothing", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const once = canonicalize(value);
        expect(canonicalize(JSON.parse(once))).toBe(once);
      }),
    );
  });

  it("does not depend on the order members were inserted in", () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.integer()), (value) => {
        const reversed = Object.fromEntries(Object.entries(value).reverse());
        expect(canonicalize(reversed)).toBe(canonicalize(value));
      }),
    );
  });
});

describe("parseCanonical", () => {
  it("accepts canonical bytes and returns the value", () => {
    expect(parseCanonical(encode('{"a":[1,"x"],"b":null}'))).toEqual({
      ok: true,
      value: { a: [1, "x"], b: null },
    });
  });

  it("refuses whitespace, unsorted members, duplicates and non-minimal numbers", () => {
    for (const text of ['{"a": 1}', '{"b":1,"a":2}', '{"a":1,"a":1}', '{"a":1.0}', '{"a":1E3}']) {
      const outcome = parseCanonical(encode(text));
      expect(outcome, text).toEqual({
        ok: false,
        reason: "the payload is not canonical JSON (RFC 8785)",
      });
    }
  });

  it("refuses invalid UTF-8 and non-JSON with a reason", () => {
    expect(parseCanonical(new Uint8Array([0x22, 0xff, 0x22]))).toEqual({
      ok: false,
      reason: "the payload is not valid UTF-8",
    });
    expect(parseCanonical(encode("{a:1}"))).toEqual({
      ok: false,
      reason: "the payload is not JSON",
    });
  });
});
