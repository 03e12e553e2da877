import { describe, expect, it } from "vitest";
import {
  canonicalIp,
  formatCidr,
  isIp,
  NetParseError,
  parseAddressEntry,
  parseCidr,
  parseIp,
  prefixContains,
  unmapIpv4,
} from "../../src/net/index.ts";

describe("strict IP parsing", () => {
  it.each([
    ["10.0.0.1", "10.0.0.1"],
    ["0.0.0.0", "0.0.0.0"],
    ["255.255.255.255", "255.255.255.255"],
    ["2001:DB8:0:0:0:0:0:1", "2001:db8::1"],
    ["2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"],
    ["::", "::"],
    ["::1", "::1"],
    ["fe80::", "fe80::"],
    ["1:0:0:2:0:0:0:3", "1:0:0:2::3"],
    ["1:2:3:4:5:6:7:0", "1:2:3:4:5:6:7:0"],
    ["::ffff:10.1.2.3", "10.1.2.3"],
    ["::ffff:a01:203", "10.1.2.3"],
    ["64:ff9b::192.0.2.33", "64:ff9b::c000:221"],
  ])("accepts %s as %s", (input, canonical) => {
    expect(canonicalIp(input)).toBe(canonical);
  });

  it.each([
    ["010.0.0.1", "leading zeros"],
    ["10.0.0", "four"],
    ["10.0.0.256", "greater than 255"],
    ["0x7f.0.0.1", "decimal"],
    ["2130706433", "four"],
    ["1::2::3", "only once"],
    ["1:2:3:4:5:6:7:8:9", "eight groups"],
    ["fe80::1%eth0", "zone"],
    ["12345::", "hexadecimal"],
    ["", "length"],
    [" 10.0.0.1", "decimal"],
  ])("rejects %s naming the reason", (input, reason) => {
    expect(isIp(input)).toBe(false);
    expect(() => parseIp(input)).toThrow(NetParseError);
    expect(() => parseIp(input)).toThrow(reason);
  });

  it("unmaps only IPv4-mapped addresses", () => {
    expect(unmapIpv4(parseIp("::ffff:169.254.169.254")).family).toBe(4);
    expect(unmapIpv4(parseIp("::169.254.169.254")).family).toBe(6);
    expect(unmapIpv4(parseIp("::fffe:1.2.3.4")).family).toBe(6);
  });
});

describe("prefixes", () => {
  it("rejects host bits with a hint and accepts them when asked", () => {
    expect(() => parseCidr("10.1.2.3/8")).toThrow("did you mean 10.0.0.0/8");
    expect(formatCidr(parseCidr("10.1.2.3/8", { allowHostBits: true }))).toBe("10.0.0.0/8");
  });

  it("unmaps IPv4-mapped prefixes to IPv4", () => {
    expect(formatCidr(parseCidr("::ffff:10.0.0.0/104"))).toBe("10.0.0.0/8");
    expect(formatCidr(parseCidr("::ffff:0:0/96"))).toBe("0.0.0.0/0");
  });

  it("tests membership across families through unmapping", () => {
    const block = parseCidr("10.0.0.0/8");
    expect(prefixContains(block, parseIp("10.200.1.1"))).toBe(true);
    expect(prefixContains(block, parseIp("::ffff:10.200.1.1"))).toBe(true);
    expect(prefixContains(block, parseIp("11.0.0.0"))).toBe(false);
    expect(prefixContains(parseCidr("2001:db8::/32"), parseIp("2001:db8:ffff::1"))).toBe(true);
  });

  it("splits ranges into the minimal prefix cover", () => {
    const cover = parseAddressEntry("10.0.0.1-10.0.0.6").map(formatCidr);
    expect(cover).toEqual(["10.0.0.1/32", "10.0.0.2/31", "10.0.0.4/31", "10.0.0.6/32"]);
    expect(parseAddressEntry("0.0.0.0-255.255.255.255").map(formatCidr)).toEqual(["0.0.0.0/0"]);
    expect(parseAddressEntry("2001:db8::-2001:db8::ff").map(formatCidr)).toEqual([
      "2001:db8::/120",
    ]);
  });

  it("rejects bad ranges and lengths with reasons", () => {
    expect(() => parseAddressEntry("10.0.0.9-10.0.0.1")).toThrow("after its end");
    expect(() => parseAddressEntry("10.0.0.1-::1")).toThrow("different families");
    expect(() => parseCidr("10.0.0.0/33")).toThrow("exceeds 32");
    expect(() => parseCidr("10.0.0.0/08")).toThrow("decimal");
  });
});
