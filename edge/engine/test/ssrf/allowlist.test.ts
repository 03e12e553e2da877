import { describe, expect, it } from "vitest";
import {
  checkHostResolving,
  checkUrlLexical,
  checkUrlResolving,
  SsrfOptionsError,
} from "../../src/ssrf/index.ts";

const resolver = async (name: string): Promise<string[]> => {
  const table: Record<string, string[]> = {
    "db.internal": ["10.1.2.3"],
    "api.svc.internal": ["10.9.0.4", "fd00:1::4"],
    "evil.example": ["169.254.169.254"],
  };
  return table[name] ?? [];
};

describe("an explicit allowlist opens non-global destinations", () => {
  it("opens loopback by CIDR", () => {
    const options = { allow: ["127.0.0.0/8", "::1"] };
    expect(checkUrlLexical("http://127.0.0.1:8080/", options)).toMatchObject({
      verdict: "allow",
      reason: "allowlisted",
      category: "loopback",
    });
    expect(checkUrlLexical("http://[::1]/", options).verdict).toBe("allow");
    expect(checkUrlLexical("http://10.0.0.1/", options).verdict).toBe("block");
  });

  it("opens an IPv4 when it arrives mapped into IPv6", () => {
    const result = checkUrlLexical("http://[::ffff:10.0.0.1]/", { allow: ["10.0.0.0/8"] });
    expect(result).toMatchObject({ verdict: "allow", reason: "allowlisted" });
  });

  it("opens a name and its private addresses, and subdomains of a wildcard", async () => {
    const options = { allow: ["db.internal", "*.svc.internal"], resolver };
    const db = await checkUrlResolving("http://db.internal:5432/", options);
    expect(db).toMatchObject({ verdict: "allow", reason: "allowlisted", address: "10.1.2.3" });

    const api = await checkHostResolving("api.svc.internal", 443, options);
    expect(api).toMatchObject({ verdict: "allow", address: "10.9.0.4", port: 443 });
  });

  it("opens localhost only when named", () => {
    expect(checkUrlLexical("http://localhost/", { allow: ["localhost"] }).verdict).toBe("allow");
    expect(checkUrlLexical("http://localhost/", { allow: ["db.internal"] }).verdict).toBe("block");
  });
});

describe("metadata endpoints can never be allowlisted", () => {
  const everything = { allow: ["0.0.0.0/0", "::/0"], resolver };

  it.each([
    "http://169.254.169.254/",
    "http://0xa9fea9fe/",
    "http://[::ffff:a9fe:a9fe]/",
    "http://[fd00:ec2::254]/",
    "http://169.254.170.2/v2/credentials",
    "http://168.63.129.16/",
    "http://100.100.100.200/",
    "http://metadata.google.internal/",
  ])("blocks %s with 0.0.0.0/0 and ::/0 allowed", async (url) => {
    expect(checkUrlLexical(url, everything).verdict).toBe("block");
    expect((await checkUrlResolving(url, everything)).verdict).toBe("block");
  });

  it("blocks a name resolving to metadata even when the name is allowlisted", async () => {
    const options = { allow: ["evil.example", "0.0.0.0/0"], resolver };
    const result = await checkUrlResolving("http://evil.example/", options);
    expect(result).toMatchObject({ verdict: "block", reason: "metadata-address" });
  });

  it("still opens ordinary private space under the same allowlist", () => {
    expect(checkUrlLexical("http://10.0.0.1/", everything).verdict).toBe("allow");
  });
});

describe("malformed allowlists are configuration errors", () => {
  it.each([
    [["10.0.0.1/8"], /allow\[0\].*host bits/],
    [["ok.example", "not a host"], /allow\[1\].*not a host/],
    [["10.0.0.0/33"], /allow\[0\]/],
  ])("rejects %j naming the entry", (allow, message) => {
    expect(() => checkUrlLexical("http://example.com/", { allow })).toThrow(SsrfOptionsError);
    expect(() => checkUrlLexical("http://example.com/", { allow })).toThrow(message);
  });
});
