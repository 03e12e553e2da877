import { describe, expect, it } from "vitest";
import {
  buildIndex,
  decide,
  decideLinear,
  type Flow,
  normalizePath,
  resolvePolicy,
} from "../../src/policy/index.ts";
import { inventory } from "./fixtures.ts";

describe("normalizePath", () => {
  it.each([
    ["/corp%2Ddata/key", "/corp-data/key"],
    ["/%63orp-data/key", "/corp-data/key"],
    ["/x/../corp-data/key", "/corp-data/key"],
    ["/./corp-data/./key", "/corp-data/key"],
    ["/%2e%2E/corp-data", "/corp-data"],
    ["/../../corp-data", "/corp-data"],
    ["/a/b/..", "/a/"],
    ["/a/.", "/a/"],
    ["/%7e%41", "/~A"],
  ])("decodes unreserved escapes and removes dot segments: %s", (raw, want) => {
    expect(normalizePath(raw)).toBe(want);
  });

  it("keeps reserved escapes (upper-cased), bad escapes and the query as they are", () => {
    expect(normalizePath("/a%2fb/c")).toBe("/a%2Fb/c");
    expect(normalizePath("/a%zz")).toBe("/a%zz");
    expect(normalizePath("/a?x=%2D&y=/../z")).toBe("/a?x=%2D&y=/../z");
  });
});

/** A deny on one path-style bucket ahead of a broad allow to the S3 endpoints. */
const resolved = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [],
    services: [
      { id: "corp-data", kind: "s3", bucket: "corp-data", region: "eu-west-1" },
      { id: "s3-any", kind: "fqdn", hosts: ["**.amazonaws.com"] },
    ],
    ruleSets: [
      {
        id: "egress",
        defaultAction: "deny",
        rules: [
          { id: "no-corp-data", destinations: ["corp-data"], action: "deny", mode: "proxy" },
          { id: "s3", destinations: ["s3-any"], action: "allow", mode: "proxy" },
        ],
      },
    ],
    profiles: [],
  },
  inventory,
);
const index = buildIndex(resolved);

function pathStyle(path: string): Flow {
  const host = "s3.eu-west-1.amazonaws.com";
  return { srcIp: "10.0.1.10", sni: host, dstHost: host, dstPort: 443, path };
}

describe("path-style bucket rules", () => {
  it.each([
    "/corp-data/key",
    "/corp%2Ddata/key",
    "/corp%2ddata/key",
    "/x/../corp-data/key",
    "/./corp-data/key",
    "/%2E%2E/corp-data",
  ])("deny %s however the bucket segment is spelled", (path) => {
    const decision = decide(index, pathStyle(path));
    expect(decision).toMatchObject({ action: "deny", ruleId: "no-corp-data" });
    expect(decideLinear(resolved, pathStyle(path))).toEqual(decision);
  });

  it("still allows other buckets whose names share the prefix", () => {
    for (const path of ["/other/key", "/corp-data-2/key", "/corp%2Ddata-2/key"]) {
      expect(decide(index, pathStyle(path)), path).toMatchObject({ action: "allow", ruleId: "s3" });
    }
  });
});
