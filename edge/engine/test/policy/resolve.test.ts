import { describe, expect, it } from "vitest";
import { DocumentError, parsePolicyText } from "../../src/documents/index.ts";
import { buildIndex, parseResolvedPolicy, resolvePolicy } from "../../src/policy/index.ts";
import { asset, inventory, samplePolicy } from "./fixtures.ts";

function problems(policy: unknown, inv: unknown = inventory): string[] {
  try {
    resolvePolicy(policy, inv);
  } catch (error) {
    if (error instanceof DocumentError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  return [];
}

const base = { schemaVersion: 1, ruleSets: [{ id: "s", defaultAction: "deny", rules: [] }] };

describe("resolvePolicy", () => {
  it("resolves dynamic objects to canonical, aggregated prefixes", () => {
    const resolved = resolvePolicy(samplePolicy(), inventory);
    const byId = new Map(resolved.objects.map((o) => [o.id, o]));
    expect(byId.get("web")?.prefixes).toEqual(["10.0.1.10/31", "203.0.113.10/32"]);
    expect(byId.get("web-a")?.prefixes).toEqual(["10.0.1.10/32", "203.0.113.10/32"]);
    expect(byId.get("corp")?.prefixes).toEqual([
      "10.0.0.0/16",
      "192.168.1.1/32",
      "192.168.1.2/31",
      "192.168.1.4/31",
      "192.168.1.6/32",
      "2001:db8::/48",
    ]);
    expect(byId.get("internal")?.prefixes).toContain("10.0.2.21/32");
    expect(byId.get("internal")?.prefixes).not.toContain("10.0.2.20/32");
  });

  it("takes an S3 bucket's region from the inventory", () => {
    const resolved = resolvePolicy(samplePolicy(), inventory);
    const forms = resolved.services.find((s) => s.id === "data-bucket")?.forms.map((f) => f.host);
    expect(forms).toContain("corp-data.s3.eu-west-1.amazonaws.com");
  });

  it("round-trips through JSON and the strict bundle schema", () => {
    const resolved = resolvePolicy(samplePolicy(), inventory);
    const payload = JSON.parse(JSON.stringify(resolved));
    expect(parseResolvedPolicy(payload)).toEqual(resolved);
    expect(() => parseResolvedPolicy({ ...payload, extra: true })).toThrow(DocumentError);
    const objects = payload.objects.map((o: object, i: number) =>
      i === 0 ? { ...o, prefixes: ["10.0.0.1/8"] } : o,
    );
    const broken = { ...payload, objects };
    expect(() => buildIndex(broken)).toThrow("$.objects[0].prefixes[0]");
  });

  it("reports every problem with its JSON path", () => {
    const policy = {
      schemaVersion: 1,
      objects: [
        { id: "bad-sel", kind: "dynamic", selector: 'tag.A == "x" and' },
        { id: "bad-ip", kind: "static", addresses: ["10.0.0.1/33", "10.0.0.9-10.0.0.1"] },
        { id: "bad-fqdn", kind: "fqdn", fqdns: ["a.*.example.com"] },
        { id: "loop-a", kind: "group", include: ["loop-b"] },
        { id: "loop-b", kind: "group", include: ["loop-a", "ghost"] },
      ],
      services: [{ id: "bucket", kind: "s3", bucket: "not-in-inventory" }],
      ruleSets: [
        {
          id: "s",
          defaultAction: "next",
          rules: [
            {
              id: "r",
              sources: ["bad-fqdn", "nobody"],
              destinations: ["nowhere"],
              profiles: ["p"],
              action: "allow",
            },
          ],
        },
      ],
    };
    const found = problems(policy);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\$\.objects\[0\]\.selector: selector 1:17 .*expected a key/),
        '$.objects[1].addresses[0]: "10.0.0.1/33": prefix length exceeds 32',
        '$.objects[1].addresses[1]: "10.0.0.9-10.0.0.1": range start is after its end',
        expect.stringMatching(/^\$\.objects\[2\]\.fqdns\[0\]: "\*" is allowed only/),
        expect.stringMatching(/group cycle through "loop-/),
        '$.objects[4].include[1]: unknown object "ghost"',
        expect.stringMatching(/^\$\.services\[0\]\.region: region of bucket/),
        '$.ruleSets[0].rules[0].sources[0]: "bad-fqdn" is an FQDN object and cannot match a source address',
        '$.ruleSets[0].rules[0].sources[1]: unknown address object "nobody"',
        '$.ruleSets[0].rules[0].destinations[0]: unknown object or service "nowhere"',
        '$.ruleSets[0].rules[0].profiles[0]: unknown profile "p"',
        '$.ruleSets[0].defaultAction: the last rule set cannot default to "next"',
      ]),
    );
  });

  it("rejects duplicate ids, reserved ids and malformed documents without crashing", () => {
    expect(
      problems({
        ...base,
        objects: [{ id: "x", kind: "static", addresses: ["10.0.0.1"] }],
        services: [{ id: "x", kind: "gcs", bucket: "abc" }],
      }),
    ).toEqual(['$.services[0].id: duplicate id "x" (first at $.objects[0].id)']);
    expect(
      problems({
        ...base,
        objects: [{ id: "builtin:mine", kind: "static", addresses: ["10.0.0.1"] }],
      })[0],
    ).toContain("reserved");
    expect(problems(null)[0]).toContain("$");
    expect(problems({ ...base, ruleSets: "no" })[0]).toContain("$.ruleSets");
    expect(
      problems(base, {
        schemaVersion: 1,
        assets: [asset("a", { addresses: { private: ["x"], public: [] } })],
      })[0],
    ).toContain("$.assets[0].addresses.private[0]");
  });

  it("reads YAML policies and names the line of a syntax error", () => {
    const policy = parsePolicyText(
      [
        "schemaVersion: 1",
        "objects:",
        "  - id: web",
        "    kind: dynamic",
        '    selector: tag.Role == "web"',
        "ruleSets:",
        "  - id: s",
        "    defaultAction: deny",
        "    rules: []",
      ].join("\n"),
    );
    expect(policy.objects[0]?.id).toBe("web");
    expect(() => parsePolicyText("schemaVersion: 1\nruleSets: [\n")).toThrow(
      /line \d+, column \d+/,
    );
    expect(() => parsePolicyText("a: 1\na: 2\n")).toThrow(DocumentError);
  });
});
