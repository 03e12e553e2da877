import { describe, expect, it } from "vitest";
import { ChunkedDecoder } from "../src/http/chunked.ts";
import { FramingError } from "../src/http/errors.ts";
import { findHeadEnd, parseRequestHead } from "../src/http/head.ts";

function parse(text: string) {
  const buf = Buffer.from(text, "latin1");
  const end = findHeadEnd(buf);
  if (end === -1) throw new Error("head incomplete");
  return parseRequestHead(buf.subarray(0, end));
}

function codeOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof FramingError) return error.code;
    throw error;
  }
  return "accepted";
}

function decodeAll(wire: string): { body: string; rest: string } {
  const decoder = new ChunkedDecoder();
  const parts: Buffer[] = [];
  // Byte-at-a-time feeding proves the decoder keeps state across arbitrary segment boundaries.
  for (const byte of Buffer.from(wire, "latin1")) {
    const out = decoder.push(Buffer.from([byte]));
    parts.push(...out.data);
    if (out.done) return { body: Buffer.concat(parts).toString(), rest: out.rest.toString() };
  }
  throw new Error("body incomplete");
}

describe("strict request head parsing", () => {
  it("accepts a well-formed request and reports its framing", () => {
    const head = parse("POST /a?b=1 HTTP/1.1\r\nHost: x.test\r\nContent-Length: 5\r\n\r\n");
    expect(head).toMatchObject({ method: "POST", target: "/a?b=1", host: "x.test" });
    expect(head.framing).toEqual({ kind: "length", length: 5 });
  });

  it("collapses identical duplicate Content-Length values", () => {
    const head = parse(
      "PUT / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\n",
    );
    expect(head.framing).toEqual({ kind: "length", length: 3 });
  });

  const rejected: Array<[string, string, string]> = [
    ["cl-and-te", "both CL and TE", "Host: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked"],
    [
      "repeated-te",
      "repeated TE",
      "Host: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked",
    ],
    ["unknown-te", "unknown TE", "Host: a\r\nTransfer-Encoding: gzip, chunked"],
    ["obs-fold", "obs-fold", "Host: a\r\nX-A: 1\r\n  folded"],
    ["space-before-colon", "space before colon", "Host: a\r\nContent-Length : 3"],
    ["multiple-host", "two Host headers", "Host: a\r\nHost: b"],
    [
      "differing-content-length",
      "differing CL",
      "Host: a\r\nContent-Length: 3\r\nContent-Length: 4",
    ],
    ["content-length", "signed CL", "Host: a\r\nContent-Length: +3"],
    ["missing-host", "no Host in 1.1", "X-A: 1"],
    ["field-value", "NUL in a value", "Host: a\r\nX-A: a\u0000b"],
  ];
  it.each(rejected)("rejects %s (%s)", (code, _label, fields) => {
    expect(codeOf(() => parse(`POST / HTTP/1.1\r\n${fields}\r\n\r\n`))).toBe(code);
  });

  it("rejects bare LF and bare CR while scanning, before the head is complete", () => {
    expect(codeOf(() => findHeadEnd(Buffer.from("GET / HTTP/1.1\nHost: a")))).toBe("bare-lf");
    expect(codeOf(() => findHeadEnd(Buffer.from("GET / HTTP/1.1\rHost: a")))).toBe("bare-cr");
  });

  it("rejects an oversized head without waiting for its end", () => {
    const big = Buffer.from(`GET / HTTP/1.1\r\nX-Big: ${"a".repeat(20_000)}`);
    expect(codeOf(() => findHeadEnd(big))).toBe("head-too-large");
  });
});

describe("strict chunked decoding", () => {
  it("decodes chunks with extensions and trailers and returns the bytes after the body", () => {
    const out = decodeAll('4;ext="v"\r\nWiki\r\n5;a=b\r\npedia\r\n0\r\nX-T: 1\r\n\r\nNEXT');
    expect(out).toEqual({ body: "Wikipedia", rest: "" });
    const whole = new ChunkedDecoder().push(Buffer.from("1\r\na\r\n0\r\n\r\nGET /next"));
    expect(whole.done).toBe(true);
    expect(whole.rest.toString()).toBe("GET /next");
  });

  const bad: Array<[string, string]> = [
    ["chunk-size", "4 \r\nWiki\r\n0\r\n\r\n"],
    ["chunk-size", "-4\r\nWiki\r\n0\r\n\r\n"],
    ["chunk-size", "0x4\r\nWiki\r\n0\r\n\r\n"],
    ["chunk-size", "ffffffffffffffff1\r\n"],
    ["chunk-size", "4;=x\r\nWiki\r\n0\r\n\r\n"],
    ["chunk-size", '4;a="unterminated\r\nWiki\r\n0\r\n\r\n'],
    ["chunk-bare-lf", "4\nWiki\r\n0\r\n\r\n"],
    ["chunk-data-end", "3\r\nWiki\r\n0\r\n\r\n"],
    ["trailer", "0\r\nbad trailer\r\n\r\n"],
  ];
  it.each(bad)("rejects %s in %j", (code, wire) => {
    expect(codeOf(() => new ChunkedDecoder().push(Buffer.from(wire, "latin1")))).toBe(code);
  });
});
