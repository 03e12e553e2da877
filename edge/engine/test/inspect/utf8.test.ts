import { describe, expect, it } from "vitest";
import { isUtf8 } from "../../src/inspect/transforms.ts";

/* isUtf8 must accept exactly what a fatal UTF-8 decoder accepts, which is its oracle here. */
const fatal = new TextDecoder("utf-8", { fatal: true });

function decodes(bytes: Uint8Array): boolean {
  try {
    fatal.decode(bytes);
    return true;
  } catch {
    return false;
  }
}

describe("isUtf8", () => {
  it.each([
    ["ASCII", [0x61, 0x62]],
    ["two-byte", [0xc3, 0xa9]],
    ["three-byte", [0xe2, 0x82, 0xac]],
    ["four-byte", [0xf0, 0x9f, 0x98, 0x80]],
    ["overlong", [0xc0, 0xaf]],
    ["surrogate", [0xed, 0xa0, 0x80]],
    ["past U+10FFFF", [0xf4, 0x90, 0x80, 0x80]],
    ["truncated", [0xe2, 0x82]],
    ["stray continuation", [0x80]],
    ["BOM", [0xef, 0xbb, 0xbf, 0x61]],
  ])("agrees with a fatal decoder on %s", (_name, bytes) => {
    const array = Uint8Array.from(bytes);
    expect(isUtf8(array)).toBe(decodes(array));
  });

  it("agrees with a fatal decoder on random bytes", () => {
    let seed = 11;
    const next = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed;
    };
    // Bytes drawn mostly from the lead and continuation ranges, where the grammar is subtle.
    const pool = [0x41, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc2, 0xdf, 0xe0, 0xed, 0xef];
    pool.push(0xf0, 0xf4, 0xf5, 0xff);
    for (let n = 0; n < 5000; n++) {
      const bytes = Uint8Array.from(
        { length: 1 + (next() % 6) },
        () => pool[next() % pool.length] ?? 0,
      );
      expect(isUtf8(bytes), [...bytes].join(",")).toBe(decodes(bytes));
    }
  });
});
