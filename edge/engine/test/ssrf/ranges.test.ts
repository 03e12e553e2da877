import { describe, expect, it } from "vitest";
import { checkHostLexical, checkUrlLexical } from "../../src/ssrf/index.ts";

describe("non-global address space is blocked with its category", () => {
  it.each([
    ["0.0.0.0", "unspecified"],
    ["0.1.2.3", "this-network"],
    ["127.0.0.1", "loopback"],
    ["0x7f.1", "loopback"],
    ["017700000001", "loopback"],
    ["10.20.30.40", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "shared"],
    ["100.127.255.255", "shared"],
    ["169.254.1.1", "link-local"],
    ["192.0.0.8", "ietf-protocol"],
    ["192.0.2.1", "documentation"],
    ["198.51.100.7", "documentation"],
    ["203.0.113.9", "documentation"],
    ["198.18.0.1", "benchmarking"],
    ["198.19.255.255", "benchmarking"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "broadcast"],
    ["[::]", "unspecified"],
    ["[::1]", "loopback"],
    ["[0:0:0:0:0:0:0:1]", "loopback"],
    ["[::ffff:127.0.0.1]", "loopback"],
    ["[::ffff:10.0.0.1]", "private"],
    ["[::127.0.0.1]", "loopback"],
    ["[64:ff9b::10.1.1.1]", "private"],
    ["[2002:c0a8:101::1]", "private"],
    ["[fc00::1]", "unique-local"],
    ["[fd12:3456::1]", "unique-local"],
    ["[fe80::1]", "link-local"],
    ["[febf::1]", "link-local"],
    ["[fec0::1]", "site-local"],
    ["[ff02::1]", "multicast"],
    ["[100::1]", "discard"],
    ["[2001:db8::1]", "documentation"],
    ["[3fff::1]", "documentation"],
    ["[2001:2::1]", "ietf-protocol"],
    ["[4000::1]", "reserved"],
  ])("blocks %s as %s", (host, category) => {
    const result = checkUrlLexical(`http://${host}/`);
    expect(result, JSON.stringify(result)).toMatchObject({
      verdict: "block",
      reason: "non-global-address",
      category,
    });
  });

  it("blocks an octal spelling that reads as private when zeros are taken as decimal", () => {
    const result = checkUrlLexical("http://010.0.0.1/");
    expect(result).toMatchObject({ verdict: "block", address: "10.0.0.1", category: "private" });
  });

  it("blocks an IPv6 zone even though the URL parser rejects it", () => {
    const result = checkUrlLexical("http://[fe80::1%25eth0]:8080/");
    expect(result).toMatchObject({ verdict: "block", category: "link-local" });
  });

  it.each(["localhost", "LOCALHOST.", "api.localhost", "ip6-localhost", "localhost.localdomain"])(
    "blocks the loopback name %s without resolving it",
    (host) => {
      expect(checkUrlLexical(`http://${host}:3000/`)).toMatchObject({
        verdict: "block",
        reason: "localhost-hostname",
      });
    },
  );
});

describe("global destinations are allowed", () => {
  it.each([
    ["http://93.184.215.14/", "93.184.215.14"],
    ["https://8.8.8.8/dns-query", "8.8.8.8"],
    ["http://134744072/", "8.8.8.8"],
    ["http://0x08080808/", "8.8.8.8"],
    ["http://[2606:4700:4700::1111]/", "2606:4700:4700::1111"],
    ["http://[::ffff:8.8.8.8]/", "::ffff:808:808"],
    ["http://[64:ff9b::8.8.4.4]/", "64:ff9b::808:404"],
    ["http://172.32.0.1/", "172.32.0.1"],
    ["http://100.128.0.1/", "100.128.0.1"],
  ])("allows %s at %s", (url, address) => {
    expect(checkUrlLexical(url)).toEqual({ verdict: "allow", reason: "public-address", address });
  });

  it.each([
    "https://example.com/path?q=1#top",
    "https://user:secret@example.com:8443/a@b",
    "https://bücher.example/",
    "https://EXAMPLE.com./",
    "http://s3.amazonaws.com/bucket/key",
  ])("allows the name in %s lexically", (url) => {
    expect(checkUrlLexical(url)).toEqual({ verdict: "allow", reason: "hostname" });
  });

  it("allows a public host and port as found in CONNECT", () => {
    expect(checkHostLexical("example.com", 443)).toEqual({ verdict: "allow", reason: "hostname" });
  });
});

describe("schemes and malformed input", () => {
  it.each([
    "gopher://127.0.0.1:6379/_INFO",
    "file:///etc/passwd",
    "dict://example.com:11211/stat",
    "ftp://example.com/",
    "ldap://example.com/",
    "jar:http://example.com/a.jar!/",
    "netdoc:///etc/passwd",
    "javascript:alert(1)",
  ])("blocks the scheme of %s", (url) => {
    expect(checkUrlLexical(url)).toEqual({ verdict: "block", reason: "unsupported-scheme" });
  });

  it("lets options add a scheme", () => {
    const result = checkUrlLexical("wss://example.com/", { schemes: ["https", "wss"] });
    expect(result.verdict).toBe("allow");
  });

  it.each(["", "not a url", "http://", "http://exa mple.com/", "http://example.com:99999/"])(
    "blocks %j as invalid",
    (url) => {
      const result = checkUrlLexical(url);
      expect(result.verdict).toBe("block");
      expect(["invalid-url", "invalid-host"]).toContain(result.reason);
    },
  );

  it("blocks hosts that no parser reads as an address or a name", () => {
    expect(checkUrlLexical("http://1.2.3.4.5.6/")).toMatchObject({ verdict: "block" });
    expect(checkUrlLexical("http://example.0x1/")).toMatchObject({ verdict: "block" });
    expect(checkHostLexical(42 as unknown as string)).toMatchObject({ reason: "invalid-host" });
  });
});
