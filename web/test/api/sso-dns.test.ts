import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemTxtResolver } from "../../src/server/services/sso/runtime.ts";
import { type DnsZone, startDnsZone } from "../support/dns-zone.ts";

// Domain verification through the DNS servers an operator names: the lookups go to a real DNS
// server on loopback, so nothing here asks the host's resolver.
let zone: DnsZone;
beforeAll(async () => {
  zone = await startDnsZone();
});
afterAll(async () => zone?.close());

describe("RINGFENCE_DNS_SERVERS", () => {
  it("looks TXT records up at the servers it names", async () => {
    zone.txt.set("_ringfence-challenge.example-corp.test", [["ringfence-domain-verification=abc"]]);
    const resolveTxt = systemTxtResolver({ RINGFENCE_DNS_SERVERS: zone.server });
    expect(await resolveTxt("_ringfence-challenge.example-corp.test")).toEqual([
      ["ringfence-domain-verification=abc"],
    ]);
  });

  it("answers a missing name as not found, as the host's resolver would", async () => {
    const resolveTxt = systemTxtResolver({ RINGFENCE_DNS_SERVERS: ` ${zone.server} ` });
    await expect(resolveTxt("_ringfence-challenge.nobody.test")).rejects.toMatchObject({
      code: "ENOTFOUND",
    });
  });

  it("refuses an entry that is not an address, naming the setting", () => {
    expect(() => systemTxtResolver({ RINGFENCE_DNS_SERVERS: "dns.example.com" })).toThrow(
      /RINGFENCE_DNS_SERVERS is invalid/,
    );
  });
});
