import { describe, expect, it } from "vitest";
import { checkHostResolving, checkUrlResolving } from "../../src/ssrf/index.ts";

/** A resolver over a fixed table that records every name it was asked about. */
function tableResolver(table: Record<string, readonly string[]>) {
  const asked: string[] = [];
  const resolver = async (name: string) => {
    asked.push(name);
    const answers = table[name];
    if (!answers) throw new Error(`NXDOMAIN ${name}`);
    return answers;
  };
  return { resolver, asked };
}

describe("resolving mode judges every resolved address", () => {
  it("returns the checked address and port to connect to", async () => {
    const { resolver, asked } = tableResolver({ "example.com": ["93.184.215.14"] });
    const result = await checkUrlResolving("https://Example.COM./index.html", { resolver });
    expect(result).toEqual({
      verdict: "allow",
      reason: "public-address",
      address: "93.184.215.14",
      hostname: "example.com",
      port: 443,
    });
    expect(asked).toEqual(["example.com"]);
  });

  it("blocks when any one answer is non-global (DNS rebinding with mixed answers)", async () => {
    const { resolver } = tableResolver({ "rebind.example": ["8.8.8.8", "127.0.0.1"] });
    const result = await checkUrlResolving("http://rebind.example/", { resolver });
    expect(result).toMatchObject({ verdict: "block", address: "127.0.0.1", category: "loopback" });
  });

  it("sees through a name that points at metadata", async () => {
    const { resolver } = tableResolver({
      "169.254.169.254.nip.io": ["169.254.169.254"],
      "v6.example": ["::ffff:169.254.169.254"],
    });
    const byName = await checkUrlResolving("http://169.254.169.254.nip.io/", { resolver });
    expect(byName).toMatchObject({ verdict: "block", reason: "metadata-address" });
    const mapped = await checkHostResolving("v6.example", 80, { resolver });
    expect(mapped).toMatchObject({ verdict: "block", reason: "metadata-address" });
  });

  it("never asks the resolver about literals or names blocked by rule", async () => {
    const { resolver, asked } = tableResolver({});
    const urls = ["http://0x7f000001/", "http://[::1]/", "http://localhost/", "http://metadata/"];
    for (const url of urls) {
      expect((await checkUrlResolving(url, { resolver })).verdict).toBe("block");
    }
    expect(asked).toEqual([]);
  });

  it("connects to a public literal in any WHATWG spelling without a lookup", async () => {
    const { resolver } = tableResolver({});
    const result = await checkUrlResolving("http://134744072:8080/", { resolver });
    expect(result).toMatchObject({ verdict: "allow", address: "8.8.8.8", port: 8080 });
  });

  it.each([
    [{}, "resolver-error"],
    [{ "empty.example": [] }, "no-addresses"],
    [{ "empty.example": ["not-an-ip"] }, "resolver-error"],
    [{ "empty.example": ["010.0.0.1"] }, "resolver-error"],
  ])("fails closed on resolver answer %j", async (table, reason) => {
    const { resolver } = tableResolver(table);
    const result = await checkUrlResolving("http://empty.example/", { resolver });
    expect(result).toMatchObject({ verdict: "block", reason });
  });

  it.each([
    ["gopher://example.com/", "unsupported-scheme"],
    ["http://exa mple.com/", "invalid-url"],
    ["http://[fe80::1%25eth0]/", "invalid-url"],
  ])("blocks %s as %s before any lookup", async (url, reason) => {
    const { resolver, asked } = tableResolver({});
    expect(await checkUrlResolving(url, { resolver })).toMatchObject({ reason });
    expect(asked).toEqual([]);
  });

  it("rejects a CONNECT port that is not a port", async () => {
    const { resolver } = tableResolver({ "example.com": ["8.8.8.8"] });
    const result = await checkHostResolving("example.com", "http", { resolver });
    expect(result).toMatchObject({ verdict: "block", reason: "invalid-port" });
  });
});

describe("a resolver that never answers", () => {
  it("blocks with resolver-error once the deadline passes", async () => {
    const hang = () => new Promise<string[]>(() => {});
    const result = await checkUrlResolving("http://slow.example/", {
      resolver: hang,
      resolveTimeoutMs: 20,
    });
    expect(result).toMatchObject({ verdict: "block", reason: "resolver-error" });
  });
});

describe("a resolver that already holds the answer", () => {
  it("judges a synchronous answer exactly like an awaited one", async () => {
    const held = (name: string) => (name === "cached.example" ? ["10.0.0.7", "93.184.215.14"] : []);
    const mixed = await checkHostResolving("cached.example", 443, { resolver: held });
    expect(mixed).toMatchObject({ verdict: "block", address: "10.0.0.7" });
    const allowed = await checkHostResolving("cached.example", 443, {
      resolver: held,
      allow: ["10.0.0.0/8"],
    });
    expect(allowed).toMatchObject({ verdict: "allow", address: "10.0.0.7", port: 443 });
    const none = await checkHostResolving("other.example", 443, { resolver: held });
    expect(none).toMatchObject({ verdict: "block", reason: "no-addresses" });
  });

  it("reports a resolver that throws synchronously as resolver-error", async () => {
    const broken = (): readonly string[] => {
      throw new Error("cache corrupted");
    };
    const result = await checkHostResolving("cached.example", 443, { resolver: broken });
    expect(result).toMatchObject({ verdict: "block", reason: "resolver-error" });
  });
});
