import { describe, expect, it } from "vitest";
import { DocumentError, parseInventory } from "../../src/documents/index.ts";

const instance = {
  id: "aws:123456789012:us-east-1:instance/i-0abc",
  provider: "aws",
  kind: "instance",
  account: "123456789012",
  region: "us-east-1",
  addresses: { private: ["10.0.1.5", "fd00::5"], public: ["203.0.113.9"] },
  attributes: { vpc: "vpc-1", security_groups: ["sg-1", "sg-2"], "os.version": "7.9" },
  tags: { "Cost Center": "42", "app:tier": "web", "k8s.io/role": "node" },
};

function issuesOf(input: unknown): string[] {
  try {
    parseInventory(input);
  } catch (error) {
    if (error instanceof DocumentError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

describe("inventory document", () => {
  it("accepts tags whose keys hold spaces, dots and colons", () => {
    const inventory = parseInventory({ schemaVersion: 1, assets: [instance] });
    expect(inventory.assets[0]?.tags["Cost Center"]).toBe("42");
  });

  it("names the path of a bad address", () => {
    const bad = { ...instance, addresses: { private: ["10.0.0.300"], public: [] } };
    expect(issuesOf({ schemaVersion: 1, assets: [bad] })).toEqual([
      "$.assets[0].addresses.private[0]: not a valid IPv4 or IPv6 address",
    ]);
  });

  it("rejects duplicate asset ids, unknown versions and unknown fields", () => {
    expect(issuesOf({ schemaVersion: 1, assets: [instance, instance] })[0]).toContain(
      "$.assets[1].id: duplicate asset id",
    );
    expect(issuesOf({ schemaVersion: 2, assets: [] })[0]).toContain("$.schemaVersion");
    expect(issuesOf({ schemaVersion: 1, assets: [{ ...instance, extra: 1 }] })[0]).toContain(
      "$.assets[0]",
    );
    expect(issuesOf({ schemaVersion: 1, assets: [{ ...instance, provider: "oci" }] })[0]).toContain(
      "$.assets[0].provider",
    );
  });

  it("reports non-object input as an error instead of crashing", () => {
    expect(issuesOf(null).length).toBeGreaterThan(0);
    expect(issuesOf("inventory").length).toBeGreaterThan(0);
  });
});
