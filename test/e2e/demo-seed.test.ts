import { parseInventory, parsePolicy } from "@ringfence/engine/documents";
import { buildIndex, decide, resolvePolicy } from "@ringfence/engine/policy";
import { describe, expect, it } from "vitest";
import { demoInventory, DEMO_SOURCES as SRC } from "../../db/src/seed/demo-inventory.ts";
import { DEMO_WEB_APP_HOST, demoPolicy } from "../../db/src/seed/demo-policy.ts";

const resolved = resolvePolicy(parsePolicy(demoPolicy()), parseInventory(demoInventory()));
const index = buildIndex(resolved);
const patches = "acme-internal-patches.s3.us-east-1.amazonaws.com";
const data = "acme-customer-data.s3.us-east-1.amazonaws.com";

describe("the demo estate", () => {
  it("is a valid canonical inventory and a policy that compiles against it", () => {
    expect(resolved.objects.find((o) => o.id === "centos7")?.prefixes).toEqual([
      "10.20.1.11/32",
      "10.20.1.12/32",
    ]);
    expect(resolved.objects.find((o) => o.id === "vnetb")?.prefixes).toEqual(["10.40.1.7/32"]);
  });

  it.each([
    ["a CentOS 7 instance", SRC.centos7, "allow"],
    ["the VNetb VM", SRC.vnetbVm, "allow"],
    ["the Ubuntu instance", SRC.ubuntu, "deny"],
    ["the VNeta VM", SRC.vnetaVm, "deny"],
    ["the web application", SRC.webApp, "deny"],
  ])("lets %s reach the patches bucket: %s", (_name, srcIp, action) => {
    expect(decide(index, { srcIp, dstHost: patches, dstPort: 443 }).action).toBe(action);
  });

  it("reads customer data only from analytics, in proxy mode under DLP", () => {
    const allowed = decide(index, { srcIp: SRC.analytics, dstHost: data, dstPort: 443 });
    expect(allowed).toMatchObject({ action: "allow", mode: "proxy" });
    expect(allowed.profiles).toEqual(["customer-records-dlp"]);
    expect(decide(index, { srcIp: SRC.webApp, dstHost: data, dstPort: 443 }).action).toBe("deny");
  });

  it("denies the metadata service to everyone before any allow", () => {
    const flow = { srcIp: SRC.webApp, dstIp: "169.254.169.254", dstPort: 80 };
    expect(decide(index, flow)).toMatchObject({ action: "deny", ruleId: "no-metadata" });
  });

  it("inspects the public web application with the WAF profile", () => {
    const flow = { srcIp: "198.51.100.23", dstHost: DEMO_WEB_APP_HOST, dstPort: 443 };
    expect(decide(index, flow)).toMatchObject({ action: "allow", profiles: ["web-waf"] });
  });
});
