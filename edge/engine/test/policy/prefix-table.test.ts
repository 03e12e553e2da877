import { describe, expect, it } from "vitest";
import { parseCidr, parseIp } from "../../src/net/index.ts";
import { PrefixTable } from "../../src/policy/prefix-table.ts";

const table = new PrefixTable([
  ["0.0.0.0/0", "::/0"].map((p) => parseCidr(p)),
  ["10.0.0.0/8", "255.255.255.255/32"].map((p) => parseCidr(p)),
  ["10.1.0.0/16", "2001:db8::/32", "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff/128"].map((p) =>
    parseCidr(p),
  ),
  [],
]);

function members(address: string): number[] {
  return [...table.lookup(parseIp(address))];
}

describe("prefix table", () => {
  it("returns every containing object, nested and at the edges of the address space", () => {
    expect(members("0.0.0.0")).toEqual([0]);
    expect(members("9.255.255.255")).toEqual([0]);
    expect(members("10.0.0.0")).toEqual([0, 1]);
    expect(members("10.1.255.255")).toEqual([0, 1, 2]);
    expect(members("10.2.0.0")).toEqual([0, 1]);
    expect(members("11.0.0.0")).toEqual([0]);
    expect(members("255.255.255.255")).toEqual([0, 1]);
    expect(members("::")).toEqual([0]);
    expect(members("2001:db8:ffff::1")).toEqual([0, 2]);
    expect(members("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")).toEqual([0, 2]);
  });

  it("unmaps IPv4-mapped addresses and offers a bitset view", () => {
    expect(members("::ffff:10.1.2.3")).toEqual([0, 1, 2]);
    expect([...table.lookupBitset(parseIp("10.1.2.3"), 4)]).toEqual([0b111]);
    expect(table.prefixCount).toBe(7);
  });
});
