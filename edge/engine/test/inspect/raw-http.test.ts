import { describe, expect, it } from "vitest";
import { normalizePath, parseRawRequest } from "../../src/inspect/index.ts";
import { bytes } from "./helpers.ts";

function ids(raw: string): string[] {
  return parseRawRequest(bytes(raw)).detections.map((d) => d.id);
}

describe("parseRawRequest", () => {
  it("parses a well-formed request without detections", () => {
    const parsed = parseRawRequest(
      bytes("POST /a?b=1 HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc"),
    );
    expect(parsed.detections).toEqual([]);
    expect(parsed.request.target).toBe("/a?b=1");
    expect(new TextDecoder().decode(parsed.request.body)).toBe("abc");
  });

  it.each([
    [
      "protocol-cl-te",
      "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    ],
    ["protocol-bare-lf", "GET / HTTP/1.1\nHost: x\n\n"],
    ["protocol-obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"],
    ["protocol-space-before-colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n"],
    [
      "protocol-chunk-size",
      "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    ],
    ["protocol-bare-cr", "GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n"],
  ])("reports %s instead of throwing", (id, raw) => {
    expect(ids(raw)).toContain(id);
  });

  it("reads garbage as a protocol detection", () => {
    expect(parseRawRequest(new Uint8Array([0, 1, 2, 255])).detections.length).toBeGreaterThan(0);
  });

  it("decodes chunked bodies", () => {
    const parsed = parseRawRequest(
      bytes(
        "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
      ),
    );
    expect(new TextDecoder().decode(parsed.request.body)).toBe("abcde");
  });
});

describe("normalizePath", () => {
  it("collapses slashes, resolves dot segments and flags encoded separators", () => {
    const n = normalizePath("/a//b/./c/../d%2fe");
    expect(n.path).toBe("/a/b/d/e");
    expect(n.encodedSeparator).toBe(true);
  });
});
