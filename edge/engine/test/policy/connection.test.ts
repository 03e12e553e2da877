import { describe, expect, it } from "vitest";
import { buildIndex, decideConnection, resolvePolicy } from "../../src/policy/index.ts";
import { inventory } from "./fixtures.ts";

/** A reporting tier that may read one bucket in proxy mode, and a host-only deny after it. */
const index = buildIndex(
  resolvePolicy(
    {
      schemaVersion: 1,
      objects: [{ id: "reporting", kind: "static", addresses: ["10.20.1.0/24"] }],
      services: [
        { id: "reports", kind: "s3", bucket: "corp-reports", region: "eu-west-1" },
        { id: "docs", kind: "fqdn", hosts: ["docs.example.com"], pathPrefixes: ["/public"] },
        { id: "s3-any", kind: "fqdn", hosts: ["**.amazonaws.com"] },
      ],
      ruleSets: [
        {
          id: "egress",
          defaultAction: "deny",
          rules: [
            {
              id: "reporting-reads-bucket",
              sources: ["reporting"],
              destinations: ["reports"],
              action: "allow",
              mode: "proxy",
            },
            { id: "public-docs", destinations: ["docs"], action: "allow", mode: "forwarding" },
            { id: "no-other-s3", destinations: ["s3-any"], action: "deny", mode: "forwarding" },
          ],
        },
      ],
      profiles: [],
    },
    inventory,
  ),
);

const connect = (srcIp: string, dstHost: string) =>
  decideConnection(index, { srcIp, dstHost, dstPort: 443, sni: dstHost });

describe("decideConnection", () => {
  it("names the path-style rule a request on a host-denied connection could match", () => {
    const { decision, byRequest } = connect("10.20.1.5", "s3.eu-west-1.amazonaws.com");

    expect(decision).toMatchObject({ action: "deny", ruleId: "no-other-s3" });
    expect(byRequest).toHaveLength(1);
    expect(byRequest[0]).toMatchObject({
      action: "allow",
      mode: "proxy",
      ruleId: "reporting-reads-bucket",
      reasons: {
        destination: { id: "reports", matched: "s3.eu-west-1.amazonaws.com/corp-reports" },
      },
    });
  });

  it("offers nothing to a source the request-dependent rule does not admit", () => {
    const { decision, byRequest } = connect("10.99.0.1", "s3.eu-west-1.amazonaws.com");

    expect(decision.ruleId).toBe("no-other-s3");
    expect(byRequest).toEqual([]);
  });

  it("finds fqdn path prefixes too, and only for the host they name", () => {
    const docs = connect("10.99.0.1", "docs.example.com");
    const other = connect("10.99.0.1", "www.example.com");

    expect(docs.decision).toMatchObject({ action: "deny", reasons: { default: true } });
    expect(docs.byRequest.map((d) => d.ruleId)).toEqual(["public-docs"]);
    expect(other.byRequest).toEqual([]);
  });

  it("leaves a connection a host rule already decides without request-dependent alternatives", () => {
    const { decision, byRequest } = connect("10.20.1.5", "corp-reports.s3.amazonaws.com");

    expect(decision).toMatchObject({ action: "allow", ruleId: "reporting-reads-bucket" });
    expect(byRequest).toEqual([]);
  });
});
