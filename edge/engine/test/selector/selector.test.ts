import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Asset } from "../../src/documents/index.ts";
import {
  canonicalSelector,
  evaluateSelector,
  parseSelector,
  SelectorSyntaxError,
} from "../../src/selector/index.ts";

function asset(tags: Record<string, string>, attributes: Asset["attributes"] = {}): Asset {
  return {
    id: "aws:1:us-east-1:instance/i-1",
    provider: "aws",
    kind: "instance",
    account: "111122223333",
    region: "us-east-1",
    addresses: { private: ["10.0.0.1"], public: [] },
    attributes,
    tags,
  };
}

function matches(selector: string, target: Asset): boolean {
  return evaluateSelector(parseSelector(selector), target);
}

const centos = asset(
  { OS: "CentOS 7.9", "Cost Center": "42", "app:tier": "web" },
  { "os.version": "7.9.2009", vpc: "vpc-1", security_groups: ["sg-1", "sg-2"] },
);
const bare = asset({});

describe("selector predicates", () => {
  it.each([
    ['tag.OS == "CentOS 7.9"', true],
    ['tag["Cost Center"] == "42"', true],
    ['tag[\'app:tier\'] in ["web", "api"]', true],
    ['tag.OS ~ "CentOS 7.*"', true],
    ['tag.OS ~ "centos 7.*"', false],
    ['tag.OS ~* "centos 7.*"', true],
    ['tag.OS startswith "Cent"', true],
    ['tag.OS endswith "7.9"', true],
    ['os.version >= "7.4"', true],
    ["os.version < 7.10", true],
    ['os.version > "7.9.2009"', false],
    ['security_groups == "sg-2"', true],
    ['security_groups != "sg-2"', false],
    ['security_groups not in ["sg-9"]', true],
    ['provider == "aws" and region == "us-east-1" and kind == "instance"', true],
    ["has tag.OS and not has tag.Missing", true],
    ['not (tag.OS == "x" or vpc == "vpc-2")', true],
  ])("%s is %s on a CentOS asset", (selector, expected) => {
    expect(matches(selector, centos)).toBe(expected);
  });

  it("treats tag keys case-sensitively", () => {
    expect(matches('tag.os == "CentOS 7.9"', centos)).toBe(false);
  });

  it.each([
    'tag.OS == "x"',
    'tag.OS != "x"',
    'tag.OS in ["x"]',
    'tag.OS not in ["x"]',
    'tag.OS ~ "*"',
    'tag.OS startswith ""',
    'os.version >= "0"',
    "has tag.OS",
  ])("%s is false on an asset lacking the key", (selector) => {
    expect(matches(selector, bare)).toBe(false);
  });

  it("includes assets lacking a key only through an explicit not", () => {
    expect(matches('not (tag.OS == "x")', bare)).toBe(true);
  });
});

describe("selector syntax errors", () => {
  it.each([
    ["tag.OS == ", 10, "quoted string", "end of input"],
    ['tag.OS = "x"', 7, "operator", '"="'],
    ['(tag.OS == "x"', 14, '")"', "end of input"],
    ['tag.OS in "x"', 10, '"["', '"x"'],
    ['os.version >= "seven"', 14, "version", '"seven"'],
    ['tag."x" == "y"', 4, "tag name", '"x"'],
    ['tag.A == "x" tag.B == "y"', 13, '"and", "or"', '"tag"'],
  ])("%s fails at offset %i", (selector, offset, expected, found) => {
    try {
      parseSelector(selector);
      expect.unreachable("selector should not parse");
    } catch (error) {
      expect(error).toBeInstanceOf(SelectorSyntaxError);
      const syntax = error as SelectorSyntaxError;
      expect(syntax.offset).toBe(offset);
      expect(syntax.expected).toContain(expected);
      expect(syntax.found).toBe(found);
    }
  });

  it("reports line and column on multi-line selectors", () => {
    const error = (() => {
      try {
        parseSelector('tag.A == "x"\n  and tag.B ==');
      } catch (caught) {
        return caught as SelectorSyntaxError;
      }
      return undefined;
    })();
    expect([error?.line, error?.column]).toEqual([2, 15]);
  });

  it("refuses hostile nesting instead of overflowing the stack", () => {
    expect(() => parseSelector(`${"(".repeat(5000)}has tag.A${")".repeat(5000)}`)).toThrow(
      SelectorSyntaxError,
    );
    expect(() => parseSelector(`${"not ".repeat(200)}has tag.A`)).toThrow("nesting");
  });
});

describe("canonical selectors", () => {
  it("makes equivalent spellings equal", () => {
    const a = canonicalSelector("tag['Role']=='web' and (region=='eu' and provider == 'aws')");
    const b = canonicalSelector('provider == "aws" and (tag.Role == "web" and region == "eu")');
    expect(a).toBe(b);
    expect(a).toBe('provider == "aws" and region == "eu" and tag.Role == "web"');
  });

  it("sorts lists, removes double negation and keeps needed parentheses", () => {
    expect(canonicalSelector('not not tag.A in ["b", "a", "b"]')).toBe('tag.A in ["a", "b"]');
    expect(canonicalSelector('tag.B == "1" and (tag.A == "1" or has tag.C)')).toBe(
      '(has tag.C or tag.A == "1") and tag.B == "1"',
    );
    expect(canonicalSelector('tag["Cost Center"] == 42')).toBe('tag["Cost Center"] == "42"');
  });

  it("is idempotent and preserves meaning on random selectors", () => {
    const key = fc.constantFrom("tag.A", 'tag["B c"]', "region", "os.version");
    const atom = fc.oneof(
      fc
        .tuple(key, fc.constantFrom("==", "!=", "~", "startswith"), fc.constantFrom("x", "y*", ""))
        .map(([k, op, v]) => `${k} ${op} ${JSON.stringify(v)}`),
      key.map((k) => `has ${k}`),
      fc.tuple(key, fc.boolean()).map(([k, neg]) => `${k} ${neg ? "not in" : "in"} ["y", "x"]`),
    );
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: "small", withCrossShrink: true },
        atom,
        fc
          .tuple(tie("e"), fc.constantFrom("and", "or"), tie("e"))
          .map(([l, op, r]) => `(${l}) ${op} (${r})`),
        tie("e").map((e) => `not (${e})`),
      ),
    })).e;
    const target = fc.record({
      A: fc.option(fc.constantFrom("x", "y1", ""), { nil: undefined }),
      B: fc.option(fc.constantFrom("x", "yy"), { nil: undefined }),
    });
    fc.assert(
      fc.property(expr, target, (selector, tags) => {
        const canonical = canonicalSelector(selector);
        expect(canonicalSelector(canonical)).toBe(canonical);
        const subject = asset(
          Object.fromEntries(
            Object.entries({ A: tags.A, "B c": tags.B }).filter(([, v]) => v !== undefined),
          ) as Record<string, string>,
        );
        expect(matches(canonical, subject)).toBe(matches(selector, subject));
      }),
      { numRuns: 300 },
    );
  });
});
