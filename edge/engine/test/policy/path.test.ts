import { describe, expect, it } from "vitest";
import { firstSegment, prefixSegment } from "../../src/policy/destination-keys.ts";
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

describe("the bucket segment of a path-style request", () => {
  it.each([
    ["/corp-data/key", "corp-data"],
    ["/corp-data", "corp-data"],
    ["/corp-data?list-type=2", "corp-data"],
    ["/corp-data%2Fkey", "corp-data%2Fkey"],
    ["/corp-data%2F..%2Fother/key", "corp-data%2F..%2Fother"],
    ["//corp-data", ""],
  ])("is the first raw segment of %s", (path, segment) => {
    expect(firstSegment(normalizePath(path))).toBe(segment);
  });

  it.each([
    ["/corp-data", "corp-data"],
    ["/corp-data/", "corp-data"],
    ["/storage/v1/b/corp-data", "storage"],
    ["/", null],
    ["/a?b", null],
    [null, null],
  ])("a form's path prefix %s is keyed by %s", (prefix, segment) => {
    expect(prefixSegment(prefix)).toBe(segment);
  });
});

/**
 * S3 splits the bucket off the raw path, so an encoded slash belongs to the bucket segment
 * (`/corp-data%2Fkey` names the invalid bucket "corp-data/key", which S3 refuses): the index
 * must read the same first raw segment, or an allow on one bucket could be stretched to
 * another and a deny could be stepped around.
 */
const allowOne = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [],
    services: [{ id: "corp-data", kind: "s3", bucket: "corp-data", region: "eu-west-1" }],
    ruleSets: [
      {
        id: "egress",
        defaultAction: "deny",
        rules: [{ id: "corp-data", destinations: ["corp-data"], action: "allow", mode: "proxy" }],
      },
    ],
    profiles: [],
  },
  inventory,
);
const allowIndex = buildIndex(allowOne);

describe("encoded slashes and dot segments in path-style keys", () => {
  it.each([
    "/corp-data%2F..%2Fsecrets/key",
    "/corp-data%2f..%2fsecrets/key",
    "/corp-data%2Fkey",
    "/secrets/..%2Fcorp-data/key",
    "/secrets%2F..%2Fcorp-data/key",
  ])("an allow on corp-data does not admit %s", (path) => {
    const decision = decide(allowIndex, pathStyle(path));
    expect(decision).toMatchObject({ action: "deny", reasons: { default: true } });
    expect(decideLinear(allowOne, pathStyle(path))).toEqual(decision);
  });

  it.each(["/corp-data/a%2Fb", "/corp-data/..%2Fsecrets"])(
    "an allow on corp-data admits %s, whose bucket is corp-data",
    (path) => {
      const decision = decide(allowIndex, pathStyle(path));
      expect(decision).toMatchObject({ action: "allow", ruleId: "corp-data" });
      expect(decideLinear(allowOne, pathStyle(path))).toEqual(decision);
    },
  );

  it.each(["/corp-data/a%2Fb", "/corp-data/..%2Fsecrets", "/secrets/%2E%2E/corp-data/key"])(
    "a deny on corp-data still applies to %s",
    (path) => {
      expect(decide(index, pathStyle(path))).toMatchObject({
        action: "deny",
        ruleId: "no-corp-data",
      });
    },
  );

  it("reads /corp-data%2Fkey as another bucket, as S3 does, so the deny does not claim it", () => {
    const decision = decide(index, pathStyle("/corp-data%2Fkey"));
    expect(decision).toMatchObject({ action: "allow", ruleId: "s3" });
    expect(decideLinear(resolved, pathStyle("/corp-data%2Fkey"))).toEqual(decision);
  });
});
