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
