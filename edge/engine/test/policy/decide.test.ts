import { describe, expect, it } from "vitest";
import { parseDecisionEvent } from "../../src/documents/index.ts";
import {
  buildIndex,
  decide,
  decideLinear,
  eventReasons,
  type Flow,
  FlowError,
  resolvePolicy,
} from "../../src/policy/index.ts";
import { inventory, samplePolicy } from "./fixtures.ts";

const resolved = resolvePolicy(samplePolicy(), inventory);
const index = buildIndex(resolved);

function both(flow: Flow) {
  const indexed = decide(index, flow);
  expect(decideLinear(resolved, flow)).toEqual(indexed);
  return indexed;
}

describe("decide", () => {
  it("allows a tagged workload to its bucket in proxy mode with the rule's profiles", () => {
    const decision = both({
      srcIp: "10.0.1.10",
      sni: "corp-data.s3.eu-west-1.amazonaws.com",
      dstPort: 443,
    });
    expect(decision).toMatchObject({
      action: "allow",
      mode: "proxy",
      ruleId: "web-data",
      ruleSetId: "egress",
      profiles: ["dlp-1"],
    });
    expect(decision.reasons.sourceObjects).toEqual(["web"]);
    expect(decision.reasons.destination).toEqual({
      type: "service",
      id: "data-bucket",
      form: "s3:virtual-hosted-regional",
      matched: "corp-data.s3.eu-west-1.amazonaws.com",
    });
  });

  it("denies an untagged source to the same bucket by the default", () => {
    const decision = both({
      srcIp: "10.0.2.20",
      sni: "corp-data.s3.eu-west-1.amazonaws.com",
      dstPort: 443,
    });
    expect(decision).toMatchObject({
      action: "deny",
      ruleSetId: "egress",
      reasons: { default: true, sourceObjects: ["db", "corp", "builtin:private"] },
    });
  });

  it("denies metadata addresses, IPv4-mapped spellings and metadata host names first", () => {
    for (const flow of [
      { srcIp: "10.0.1.10", dstIp: "169.254.169.254", dstPort: 80 },
      { srcIp: "10.0.1.10", dstIp: "::ffff:169.254.169.254", dstPort: 80 },
      { srcIp: "::ffff:10.0.1.10", dstIp: "fd00:ec2::254", dstPort: 80 },
      { srcIp: "10.0.1.10", dstHost: "Metadata.Google.Internal.", dstPort: 80 },
    ]) {
      expect(both(flow)).toMatchObject({
        action: "deny",
        ruleId: "no-metadata",
        ruleSetId: "guard",
      });
    }
  });

  it("records a monitor rule and continues to the enforced decision", () => {
    const decision = both({ srcIp: "10.0.1.11", dstIp: "10.0.2.20", dstPort: 5432 });
    expect(decision).toMatchObject({ action: "allow", ruleId: "web-db", monitor: true });
    expect(decision.monitored).toEqual([
      { ruleId: "watch-db", ruleSetId: "guard", action: "deny", mode: "forwarding" },
    ]);
  });

  it("applies rule ports, service ports and path prefixes", () => {
    expect(both({ srcIp: "10.0.1.11", dstIp: "10.0.2.20", dstPort: 22 }).action).toBe("deny");
    expect(
      both({ srcIp: "10.0.9.9", dstHost: "api.example.com", path: "/v1/users", dstPort: 443 })
        .ruleId,
    ).toBe("partners");
    expect(
      both({ srcIp: "10.0.9.9", dstHost: "api.example.com", path: "/v2/users", dstPort: 443 })
        .ruleId,
    ).toBeUndefined();
    expect(
      both({ srcIp: "10.0.9.9", dstHost: "api.example.com", path: "/v1/users", dstPort: 8443 })
        .ruleId,
    ).toBeUndefined();
  });

  it("matches * to one label and ** to any depth, never the bare parent", () => {
    const from = { srcIp: "fd00::6", dstPort: 443 };
    expect(both({ ...from, sni: "a.cdn.partner.example" }).ruleId).toBe("partners");
    expect(both({ ...from, sni: "a.b.cdn.partner.example" }).ruleId).toBeUndefined();
    expect(both({ ...from, sni: "cdn.partner.example" }).ruleId).toBeUndefined();
    expect(both({ ...from, sni: "x.y.z.partner.net" }).ruleId).toBe("partners");
    expect(both({ ...from, sni: "partner.net" }).ruleId).toBeUndefined();
  });

  it("refuses a Host that disagrees with an allowed SNI", () => {
    const flow = {
      srcIp: "fd00::6",
      sni: "api.partner.example",
      dstHost: "evil.example",
      dstPort: 443,
    };
    expect(both(flow).action).toBe("deny");
  });

  it("excludes group members and skips disabled rules", () => {
    expect(
      both({ srcIp: "10.0.2.20", sni: "api.partner.example", dstPort: 443 }).ruleId,
    ).toBeUndefined();
    expect(both({ srcIp: "10.0.3.3", sni: "api.partner.example", dstPort: 443 }).ruleId).toBe(
      "partners",
    );
    expect(both({ srcIp: "10.9.9.9", dstIp: "10.0.0.1", dstPort: 443 }).action).toBe("deny");
    expect(resolved.ruleSets[1]?.rules.map((r) => r.id)).not.toContain("off");
  });

  it("rejects malformed flows with the field and reason", () => {
    expect(() => decide(index, { srcIp: "10.0.0.999", dstPort: 443 })).toThrow(FlowError);
    expect(() => decide(index, { srcIp: "10.0.0.1", dstPort: 70000 })).toThrow("dstPort");
    expect(() => decide(index, { srcIp: "10.0.0.1", dstIp: "nope", dstPort: 1 })).toThrow("dstIp");
  });
});

describe("event reasons", () => {
  it("carries the decision's reasons into a valid event", () => {
    const decision = decide(index, {
      srcIp: "10.0.1.10",
      sni: "corp-data.s3.eu-west-1.amazonaws.com",
      dstPort: 443,
    });
    const event = parseDecisionEvent({
      schemaVersion: 1,
      id: crypto.randomUUID(),
      time: new Date().toISOString(),
      enforcer: { id: "gw-1", kind: "gateway" },
      kind: "connection",
      action: decision.action,
      src: { ip: "10.0.1.10" },
      dst: { sni: "corp-data.s3.eu-west-1.amazonaws.com", port: 443 },
      reasons: eventReasons(decision),
    });
    expect(event.reasons).toEqual({
      ruleId: "web-data",
      ruleSetId: "egress",
      sourceObjects: ["web"],
      destination: "service:data-bucket s3:virtual-hosted-regional",
      mode: "proxy",
      monitor: false,
      default: false,
    });
  });
});
