import { describe, expect, it } from "vitest";
import { AhoCorasick } from "../../src/inspect/index.ts";

describe("AhoCorasick.matchSet", () => {
  const words = ["he", "she", "his", "hers", "xyz"];

  it("finds overlapping literals reached through failure links", () => {
    expect([...new AhoCorasick(words).matchSet("ushers")].sort()).toEqual([0, 1, 3]);
    expect([...new AhoCorasick(words).matchSet("ahishe")].sort()).toEqual([0, 1, 2]);
  });

  it("reports nothing for text holding none of them", () => {
    expect(new AhoCorasick(words).matchSet("abcdefg xy z").size).toBe(0);
  });

  it("folds ASCII capitals only when asked", () => {
    expect([...new AhoCorasick(["jndi:"], { caseInsensitive: true }).matchSet("(JNDI:x)")]).toEqual(
      [0],
    );
    expect(new AhoCorasick(["jndi:"]).matchSet("(JNDI:x)").size).toBe(0);
  });
});

describe("AhoCorasick.matchSet beyond ASCII", () => {
  it("finds literals with non-ASCII chars and literals right after them", () => {
    const ac = new AhoCorasick(["zürich", "rich", "ü", "abc"], { caseInsensitive: true });
    expect([...ac.matchSet("ZÜRICH")].sort()).toEqual([1]);
    expect([...ac.matchSet("in Zürich")].sort()).toEqual([0, 1, 2]);
    expect([...ac.matchSet("ü abc")].sort()).toEqual([2, 3]);
  });

  it("agrees with a naive search on random text", () => {
    const alphabet = "abAB€ü";
    const literals = ["ab", "ba", "aab", "b€", "€a", "üü", "bab"];
    const ac = new AhoCorasick(literals, { caseInsensitive: true });
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let n = 0; n < 500; n++) {
      const text = Array.from({ length: 12 }, () => alphabet[Math.floor(random() * 6)]).join("");
      const folded = text.replace(/[A-Z]/g, (c) => c.toLowerCase());
      const naive = literals.flatMap((l, i) => (folded.includes(l) ? [i] : []));
      expect([...ac.matchSet(text)].sort(), text).toEqual(naive);
    }
  });
});

describe("AhoCorasick.matchInto", () => {
  it("collects literals of several texts without joining them", () => {
    const ac = new AhoCorasick(["ab", "cd", "bc"]);
    const found = ac.matchInto("xxab", new Set<number>());
    expect([...ac.matchInto("cdyy", found)].sort()).toEqual([0, 1]);
  });
});
