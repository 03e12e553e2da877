import { describe, expect, it } from "vitest";
import { gateOf, LiteralGate, requiredLiterals, WAF_RULES } from "../../src/inspect/index.ts";
import { WORD_END, WORD_START } from "../../src/inspect/waf/literals.ts";

/*
 * The WAF skips a rule on a value that holds none of the literals its trigger requires. That is
 * only sound if every match of the trigger holds one of them, so the analysis must widen (give
 * up) on anything it cannot judge, and the gate must find literals in any case and position.
 */
describe("required literals of a pattern", () => {
  it.each([
    [/abc/, ["abc"]],
    [/abc|de/, ["abc", "de"]],
    [/\bjava\s*\.\s*lang/i, [`${WORD_START}java${WORD_END}`, `${WORD_START}java.`, ".lang"]],
    [/\bload\s+data\b/i, [`${WORD_START}load${WORD_END}`]],
    [/\b\.x\b/, [`.x${WORD_END}`]],
    [/\bfor|format/, [`${WORD_START}for`, "format"]],
    [/(?:^|[;|])\s*cat\b/i, [`cat${WORD_END}`]],
    [/\x41B/, ["ab"]],
    [/<\?(?:php)?/i, ["<?"]],
    [/a[bc]d/, ["abd", "acd"]],
    [/(?<=x)yz/, ["yz"]],
    [/%u[0-9a-f]{4}/i, ["%u"]],
    [/\0|%00/, ["\0", "%00"]],
    [/\.{2,}[\\/]/, [".."]],
    [/(?:ab){2}c/, ["ababc"]],
  ])("%s needs one of %j", (pattern, literals) => {
    expect(requiredLiterals(pattern)).toEqual(literals);
  });

  it.each([
    /x*/,
    /[a-z]+/,
    /./,
    /\w\d/,
    /a|\s/,
    /[^<]/,
    /(a?)\1/,
    /\p{L}/u,
    /é/i,
    /a?/,
    /^/,
    /(?=abc)/,
  ])("%s has no such set", (pattern) => {
    expect(requiredLiterals(pattern)).toBeUndefined();
  });

  it("reads the tail of an escape as part of it, not as literal text", () => {
    // "{l}" is the Unicode property's name and "2" part of a back reference: neither is text.
    expect(requiredLiterals(/\p{L}xyz/u)).toEqual(["xyz"]);
    expect(requiredLiterals(/(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)\12/)).toBeDefined();
    expect(requiredLiterals(/\p{L}/u)).toBeUndefined();
  });

  it("keeps what every match of each sample pattern holds", () => {
    const samples: [RegExp, string[]][] = [
      [/\bjava\s*\.\s*(?:lang|io)\b/i, ["JAVA . LANG", "java.io"]],
      [/(?:^|[;|&])\s*(?:cat|ls)(?=\s|$)/i, ["; CAT /x", "|ls", "cat x"]],
      [/<\s*script\b/i, ["< SCRIPT>", "<script"]],
      [/\$\{\s*jndi:/i, ["${ JNDI:ldap"]],
      [/o:\d+:"\w+"/i, ['O:8:"Example"']],
    ];
    for (const [pattern, values] of samples) {
      const gate = new LiteralGate([requiredLiterals(pattern)]);
      for (const value of values) {
        expect(pattern.test(value), `${pattern} on ${value}`).toBe(true);
        expect(marks(gate, 1, value), `${pattern} gate on ${value}`).toEqual([1]);
      }
    }
  });

  it("finds literals for most built-in pattern rules", () => {
    const triggered = WAF_RULES.filter((r) => r.trigger);
    const gated = triggered.filter((r) => r.trigger && requiredLiterals(r.trigger));
    expect(triggered.length).toBeGreaterThan(20);
    expect(gated.length / triggered.length).toBeGreaterThan(0.8);
  });
});

describe("the gate of a trigger", () => {
  it("runs anchored branches without literals as a regex and gates the others", () => {
    const gate = gateOf(/[;|]|^\s*\w{8,}\s*$|^if/i);
    expect(gate?.literals).toEqual([";", "if", "|"]);
    expect(gate?.head?.test("  BASE64xyz ")).toBe(true);
    expect(gate?.head?.test("say something else")).toBe(false);
  });

  it("keeps `^` inside a group and a multiline pattern in the literal analysis", () => {
    expect(gateOf(/(?:^|;)\s*cmd/i)).toEqual({ literals: ["cmd"] });
    expect(gateOf(/^cmd|;/m)).toEqual({ literals: [";", "cmd"] });
  });

  it("has no gate when an unanchored branch needs no literal", () => {
    expect(gateOf(/^cmd|\w+/)).toBeUndefined();
  });
});

/** The slots `gate` marks on `text`, one per rule it was built with. */
function marks(gate: LiteralGate, rules: number, text: string): number[] {
  const hits = new Uint8Array(rules);
  gate.scan(text, hits);
  return [...hits];
}

describe("the literal gate", () => {
  const gate = new LiteralGate([["he", "hers"], ["she"], undefined, ["his"]]);
  const scan = (text: string) => marks(gate, 4, text);

  it("marks every rule one of whose literals occurs, overlaps included", () => {
    expect(scan("ushers")).toEqual([1, 1, 0, 0]);
    expect(scan("this")).toEqual([0, 0, 0, 1]);
    expect(scan("nothing here")).toEqual([1, 0, 0, 0]);
    expect(scan("")).toEqual([0, 0, 0, 0]);
  });

  it("ignores case and letters that Unicode folding maps onto ASCII", () => {
    expect(scan("USHERS")).toEqual([1, 1, 0, 0]);
    expect(scan("\u017fhe")).toEqual([1, 1, 0, 0]);
    expect(new LiteralGate([["kw"]]).gated).toBe(1);
    expect(marks(new LiteralGate([["kw"]]), 1, "\u212aw")).toEqual([1]);
  });

  it("does not join literals across a non-ASCII char", () => {
    expect(scan("s\u00e9he")).toEqual([1, 0, 0, 0]);
    expect(scan("sh\u00e9e")).toEqual([0, 0, 0, 0]);
  });

  it("counts a word-start literal only where no word char precedes it", () => {
    const words = new LiteralGate([[`${WORD_START}for`], ["for"]]);
    const hits = (text: string) => marks(words, 2, text);
    expect(hits("before")).toEqual([0, 1]);
    expect(hits("for(;;)")).toEqual([1, 1]);
    expect(hits("x=FOR")).toEqual([1, 1]);
    expect(hits("_for")).toEqual([0, 1]);
    expect(hits("\u00e9for")).toEqual([1, 1]);
  });

  it("counts a word-end literal only where no word char follows it", () => {
    const words = new LiteralGate([[`${WORD_START}load${WORD_END}`], [`load${WORD_END}`]]);
    const hits = (text: string) => marks(words, 2, text);
    expect(hits("loading dock")).toEqual([0, 0]);
    expect(hits("LOAD data")).toEqual([1, 1]);
    expect(hits("reload")).toEqual([0, 1]);
    expect(hits("upload_x")).toEqual([0, 0]);
  });

  it("refuses literals it could never find", () => {
    expect(() => new LiteralGate([["Upper"]])).toThrow(/lowercase ASCII/);
    expect(() => new LiteralGate([["\u00e9"]])).toThrow(/lowercase ASCII/);
    expect(() => new LiteralGate([[`${WORD_START}${WORD_END}`]])).toThrow(/empty/);
  });
});
