import { describe, expect, it } from "vitest";
import { ControlPlaneUrlError, parseControlPlaneUrl } from "../../src/control/index.ts";

describe("parseControlPlaneUrl", () => {
  it("accepts https and resolves paths beneath its base path", () => {
    const url = parseControlPlaneUrl("https://ringfence.example.com/tenant");
    expect(new URL("api/v1/enforcer/bundle", url).href).toBe(
      "https://ringfence.example.com/tenant/api/v1/enforcer/bundle",
    );
  });

  it("accepts http only to a literal loopback address and only with the flag", () => {
    const flag = { allowInsecureLoopback: true };
    expect(parseControlPlaneUrl("http://127.0.0.1:8080", flag).port).toBe("8080");
    expect(parseControlPlaneUrl("http://[::1]:8080", flag).hostname).toBe("[::1]");
    expect(() => parseControlPlaneUrl("http://127.0.0.1:8080")).toThrow(/allowInsecureLoopback/);
    expect(() => parseControlPlaneUrl("http://ringfence.example.com", flag)).toThrow(
      /must use https/,
    );
    expect(() => parseControlPlaneUrl("http://localhost:8080", flag)).toThrow(/must use https/);
  });

  it("refuses other schemes, credentials, queries and unparsable text", () => {
    const refused: [string, RegExp][] = [
      ["ftp://ringfence.example.com", /must use https/],
      ["https://user:pw@ringfence.example.com", /credentials/],
      ["https://ringfence.example.com/?x=1", /query or fragment/],
      ["https://ringfence.example.com/#x", /query or fragment/],
      ["ringfence.example.com", /is not a URL/],
    ];
    for (const [input, message] of refused) {
      expect(() => parseControlPlaneUrl(input), input).toThrow(message);
    }
  });

  it("refuses link-local and cloud metadata addresses in any spelling the URL parser folds", () => {
    for (const input of [
      "https://169.254.169.254/",
      "https://0xA9FEA9FE/",
      "https://2852039166/",
      "https://[fe80::1]/",
      "https://[fd00:ec2::254]/",
      "https://[::ffff:169.254.169.254]/",
      "https://metadata.google.internal./",
    ]) {
      expect(() => parseControlPlaneUrl(input), input).toThrow(ControlPlaneUrlError);
    }
  });
});
