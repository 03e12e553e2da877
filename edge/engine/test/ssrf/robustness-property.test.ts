import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkHostLexical,
  checkUrlLexical,
  checkUrlResolving,
  SSRF_REASONS,
} from "../../src/ssrf/index.ts";

const noLookup = async (name: string): Promise<string[]> => {
  throw new Error(`unexpected lookup of ${name}`);
};

/** Strings built from the characters that matter to URL and host parsers. */
const urlish = fc
  .array(
    fc.constantFrom(
      ..."0123456789abcdefx.:/\\@[]%#?+ \t\n".split(""),
      "http://",
      "0x",
      "::ffff:",
      "%2e",
      "%25",
      "１",
      "。",
    ),
    { maxLength: 40 },
  )
  .map((parts) => parts.join(""));

describe("the guard answers any input without throwing", () => {
  it("returns a verdict and a known reason for arbitrary URL-ish text", () => {
    fc.assert(
      fc.property(fc.oneof(urlish, fc.string(), fc.webUrl()), (input) => {
        for (const result of [checkUrlLexical(input), checkHostLexical(input, 80)]) {
          expect(["allow", "block"]).toContain(result.verdict);
          expect(SSRF_REASONS).toContain(result.reason);
        }
      }),
      { numRuns: 1500 },
    );
  }, 120_000);
});

describe("lexical mode is never laxer than resolving mode on address literals", () => {
  it("blocks lexically every literal URL that resolving mode blocks", async () => {
    const literal = fc.oneof(
      fc.ipV4(),
      fc.ipV6().map((v6) => `[${v6}]`),
      fc.nat().map(String),
      fc.nat().map((n) => `0x${n.toString(16)}`),
    );
    await fc.assert(
      fc.asyncProperty(literal, async (host) => {
        const url = `http://${host}/`;
        const resolving = await checkUrlResolving(url, { resolver: noLookup });
        if (resolving.verdict === "block") {
          expect(checkUrlLexical(url).verdict, `${url}: ${JSON.stringify(resolving)}`).toBe(
            "block",
          );
        }
      }),
      { numRuns: 1000 },
    );
  }, 120_000);
});
