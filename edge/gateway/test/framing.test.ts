import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyHolder } from "../src/engine/policy.ts";
import {
  type Capture,
  rawExchange,
  rulesPolicy,
  startCapture,
  startTestGateway,
} from "./helpers.ts";

let upstream: Capture;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;
let target = "";

beforeAll(async () => {
  upstream = await startCapture();
  target = `upstream.test:${upstream.port}`;
  gateway = await startTestGateway({
    hosts: { "upstream.test": ["127.0.0.1"] },
    policy: new PolicyHolder(
      rulesPolicy([{ id: "r1", src: ["127.0.0.1"], host: "upstream.test" }]),
    ),
  });
});
afterAll(async () => {
  await gateway.close(100);
  await upstream.close();
});

function request(fields: string, body = ""): string {
  return `POST http://${target}/x HTTP/1.1\r\nHost: ${target}\r\n${fields}\r\n${body}`;
}

// Each case is a request smuggling or desync vector: the gateway must answer 400 itself and the
// raw upstream must not have received a single byte.
const smuggling: Array<[string, () => string]> = [
  ["CL with TE", () => request("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n")],
  [
    "repeated TE",
    () => request("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "0\r\n\r\n"),
  ],
  ["unknown TE", () => request("Transfer-Encoding: gzip\r\n", "")],
  [
    "bare LF",
    () => `POST http://${target}/x HTTP/1.1\nHost: ${target}\r\nContent-Length: 0\r\n\r\n`,
  ],
  ["bare CR", () => request("X-A: a\rb\r\nContent-Length: 0\r\n")],
  ["obs-fold", () => request("X-A: a\r\n b\r\nContent-Length: 0\r\n")],
  ["space before colon", () => request("Content-Length : 0\r\n")],
  ["invalid chunk size", () => request("Transfer-Encoding: chunked\r\n", "zz\r\nabc\r\n0\r\n\r\n")],
  [
    "chunk size with spaces",
    () => request("Transfer-Encoding: chunked\r\n", "3 \r\nabc\r\n0\r\n\r\n"),
  ],
  [
    "malformed chunk extension",
    () => request("Transfer-Encoding: chunked\r\n", '3;a="x\r\nabc\r\n0\r\n\r\n'),
  ],
  ["oversized head", () => request(`X-Big: ${"a".repeat(20_000)}\r\nContent-Length: 0\r\n`)],
  ["two Host headers", () => request(`Host: other.test\r\nContent-Length: 0\r\n`)],
  ["differing CL", () => request("Content-Length: 1\r\nContent-Length: 2\r\n", "ab")],
];

describe("strict framing on the forward proxy", () => {
  it.each(smuggling)("answers 400 and forwards nothing for %s", async (_name, wire) => {
    const response = await rawExchange(gateway.proxyPort, wire());
    expect(response.split("\r\n")[0]).toBe("HTTP/1.1 400 Bad Request");
    expect(upstream.received()).toBe("");
    expect(
      gateway.events.at(-1)?.detections?.[0]?.category,
      JSON.stringify(gateway.events.at(-1)),
    ).toBe("http-framing");
  });

  it("re-serialises an allowed request and frames a DELETE body with Content-Length", async () => {
    const wire = `DELETE http://${target}/item HTTP/1.1\r\nHost: ${target}\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n3\r\nabc\r\n0\r\n\r\n`;
    const response = await rawExchange(gateway.proxyPort, wire);
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    const seen = upstream.received();
    expect(seen).toMatch(/^DELETE \/item HTTP\/1\.1\r\n/);
    expect(seen.toLowerCase()).toContain("content-length: 3\r\n");
    expect(seen.toLowerCase()).not.toContain("transfer-encoding");
    expect(seen.endsWith("\r\n\r\nabc")).toBe(true);
  });
});
