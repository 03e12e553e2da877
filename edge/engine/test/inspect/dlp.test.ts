import { describe, expect, it } from "vitest";
import {
  compileCustomPattern,
  DLP_WINDOW,
  DlpStream,
  PatternError,
  scanBuiltins,
} from "../../src/inspect/index.ts";
import { bytes } from "./helpers.ts";

const ALL = new Set([
  "credit-card",
  "us-ssn",
  "iban",
  "aws-access-key-id",
  "aws-secret-key",
  "private-key",
  "jwt",
  "email",
]);
const detectors = (text: string) => scanBuiltins(text, ALL).map((h) => h.detector);

describe("built-in DLP detectors", () => {
  it.each([
    ["credit-card", "card 4111 1111 1111 1111 exp"],
    ["credit-card", "mc 2221000000000009"],
    ["credit-card", "visa19 4000000000000000006"],
    ["us-ssn", "ssn 123-45-6789"],
    ["iban", "pay to DE89 3704 0044 0532 0130 00 today"],
    ["aws-access-key-id", "key AKIAIOSFODNN7EXAMPLE"],
    ["aws-secret-key", "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"],
    ["private-key", "-----BEGIN RSA PRIVATE KEY-----\nMIIE"],
    [
      "jwt",
      "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U",
    ],
    ["email", "mail jane.doe@example.com now"],
  ])("finds %s", (detector, text) => {
    expect(detectors(text)).toContain(detector);
  });

  it.each([
    "card 4111 1111 1111 1112",
    "ssn 000-12-3456 666-12-3456 923-45-6789 123-00-4567 123-45-0000",
    "DE89 3704 0044 0532 0130 01",
    "order 1234567890123456 shipped",
    "eyJub3QiOiJhIGp3dCJ9.abcdefghijkl.mnop",
  ])("rejects near misses: %s", (text) => {
    expect(detectors(text)).toEqual([]);
  });

  it("never puts the full secret in evidence", () => {
    const [hit] = scanBuiltins("4111111111111111", ALL);
    expect(hit?.evidence).not.toContain("4111111111111111");
    expect(hit?.evidence).toContain("1111");
  });
});

describe("DlpStream across chunk boundaries", () => {
  it("finds a card split over two chunks exactly once and redacts it", () => {
    const stream = new DlpStream([{ detector: "credit-card", action: "redact", threshold: 1 }]);
    const a = stream.push(bytes(`${"x".repeat(DLP_WINDOW * 2)} 4111 1111 `));
    const b = stream.push(bytes("1111 1111 end"), true);
    const out = new TextDecoder().decode(new Uint8Array([...a, ...b]));
    expect(stream.findings()).toEqual([
      expect.objectContaining({ detector: "credit-card", count: 1 }),
    ]);
    expect(out).not.toContain("1111 1111");
    expect(out.endsWith(" end")).toBe(true);
  });

  it("keeps memory bounded by the window on long inputs", () => {
    const stream = new DlpStream([{ detector: "email", action: "log", threshold: 2 }]);
    let emitted = 0;
    for (let i = 0; i < 50; i++)
      emitted += stream.push(bytes(`${"a ".repeat(5000)} u${i}@example.com `)).length;
    emitted += stream.push(new Uint8Array(0), true).length;
    expect(emitted).toBe(50 * (10_000 + ` u0@example.com `.length) + 40 * 1 + 0);
    expect(stream.findings()[0]?.count).toBe(50);
  });

  it("applies match-count thresholds", () => {
    const stream = new DlpStream([{ detector: "email", action: "block", threshold: 3 }]);
    stream.push(bytes("a@example.com b@example.com"), true);
    expect(stream.findings()).toEqual([]);
  });

  it("runs custom patterns behind the literal prefilter", () => {
    const custom = compileCustomPattern("EMP-[0-9]{6}");
    const stream = new DlpStream([
      { detector: "employee-id", action: "log", threshold: 1, custom },
    ]);
    stream.push(bytes("hello EMP-123456 and EMP-654321"), true);
    expect(stream.findings()[0]?.count).toBe(2);
  });
});

describe("customer pattern validation", () => {
  it.each([
    ["(a)\\1", "backreference"],
    ["foo(?=bar)", "lookahead"],
    ["(?<!x)y", "lookbehind"],
    ["a++", "possessive"],
  ])("refuses %s naming the construct", (pattern, construct) => {
    expect(() => compileCustomPattern(pattern)).toThrow(PatternError);
    expect(() => compileCustomPattern(pattern)).toThrow(construct);
  });

  it("reports the position of the refused construct", () => {
    try {
      compileCustomPattern("abc(?=d)");
    } catch (error) {
      expect(error instanceof PatternError && error.position).toBe(3);
    }
  });

  it("accepts an escaped construct", () => {
    expect(compileCustomPattern("a\\(\\?=b").source).toBe("a\\(\\?=b");
  });
});
