import { describe, expect, it } from "vitest";
import { parseDecisionEvent } from "../../src/documents/index.ts";
import { firstSegment, prefixSegment } from "../../src/policy/destination-keys.ts";
import {
  buildIndex,
  decide,
  decideLinear,
  eventReasons,
  type Flow,
  normalizePath,
  resolvePolicy,
} from "../../src/policy/index.ts";
import { dotSegmentOf } from "../../src/policy/path.ts";
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
  it.each(["/corp-data/key", "/corp%2Ddata/key", "/corp%2ddata/key"])(
    "deny %s however the bucket segment is spelled",
    (path) => {
      const decision = decide(index, pathStyle(path));
      expect(decision).toMatchObject({ action: "deny", ruleId: "no-corp-data" });
      expect(decideLinear(resolved, pathStyle(path))).toEqual(decision);
    },
  );

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

  it.each(["/corp-data/a%2Fb", "/corp-data/..%2Fsecrets"])(
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

/**
 * S3 reads a path-style bucket from the first raw segment and does not resolve dot segments,
 * so `/other/%2E%2E/corp-data/key` is bucket `other` to S3 whatever an RFC 3986 normaliser
 * makes of it. Every spelling of a dot segment in a path-style S3 request is refused: a deny
 * that names the segment, before any rule, so neither an allow on corp-data nor a deny on
 * other can be stepped around by the spelling.
 */
const DOT_PATHS: [path: string, segment: string][] = [
  ["/other/../corp-data/key", ".."],
  ["/other/%2E%2E/corp-data/key", "%2E%2E"],
  ["/other/%2e%2e/corp-data/key", "%2e%2e"],
  ["/other/%2E%2e/corp-data/key", "%2E%2e"],
  ["/other/.%2E/corp-data/key", ".%2E"],
  ["/other/%2e./corp-data/key", "%2e."],
  ["/other/./../corp-data/key", "."],
  ["/other/%2E/corp-data/key", "%2E"],
  ["/./corp-data/key", "."],
  ["/corp-data/./key", "."],
  ["/corp-data/../corp-data/key", ".."],
  ["/corp-data/key/..", ".."],
  ["/corp-data/..", ".."],
  ["/other/../corp-data?list-type=2", ".."],
  ["/..", ".."],
];

/** A deny on bucket other, then an allow on corp-data, then the default deny. */
const denyOther = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [],
    services: [
      { id: "other", kind: "s3", bucket: "other", region: "eu-west-1" },
      { id: "corp-data", kind: "s3", bucket: "corp-data", region: "eu-west-1" },
    ],
    ruleSets: [
      {
        id: "egress",
        defaultAction: "deny",
        rules: [
          { id: "no-other", destinations: ["other"], action: "deny", mode: "proxy" },
          { id: "corp-data", destinations: ["corp-data"], action: "allow", mode: "proxy" },
        ],
      },
    ],
    profiles: [],
  },
  inventory,
);
const denyOtherIndex = buildIndex(denyOther);

const PATH_STYLE_HOSTS = [
  "s3.amazonaws.com",
  "s3.eu-west-1.amazonaws.com",
  "S3.EU-WEST-1.AMAZONAWS.COM.",
  "s3-eu-west-1.amazonaws.com",
  "s3.dualstack.eu-west-1.amazonaws.com",
  "s3-fips.eu-west-1.amazonaws.com",
  "s3-external-1.amazonaws.com",
  "bucket.vpce-0a1b2c3d.s3.eu-west-1.vpce.amazonaws.com",
];

function on(host: string, path: string, sni = host): Flow {
  return { srcIp: "10.0.1.10", sni, dstHost: host, dstPort: 443, path };
}

function expectRefused(flow: Flow, segment: string): void {
  for (const [policy, built] of [
    [allowOne, allowIndex],
    [denyOther, denyOtherIndex],
    [resolved, index],
  ] as const) {
    const decision = decide(built, flow);
    expect(decision, flow.path).toMatchObject({
      action: "deny",
      monitor: false,
      profiles: [],
      reasons: { default: false },
    });
    expect(decision.ruleId).toBeUndefined();
    expect(decision.reasons.refused).toContain(`dot segment "${segment}"`);
    expect(decision.reasons.refused).toContain("path-style S3");
    expect(decideLinear(policy, flow)).toEqual(decision);
  }
}

describe("dot segments in path-style S3 requests", () => {
  it.each(DOT_PATHS)("%s is refused, naming the segment %s", (path, segment) => {
    expectRefused(pathStyle(path), segment);
  });

  it.each(PATH_STYLE_HOSTS)("on every path-style endpoint: %s", (host) => {
    for (const [path, segment] of DOT_PATHS) expectRefused(on(host, path), segment);
  });

  it("when the Host is path-style and the SNI names a virtual-hosted bucket", () => {
    const flow = on("s3.eu-west-1.amazonaws.com", "/other/../corp-data/key");
    expectRefused({ ...flow, sni: "corp-data.s3.eu-west-1.amazonaws.com" }, "..");
  });

  it("an allow on corp-data admits none of them; a deny on other still denies them", () => {
    for (const [path] of DOT_PATHS) {
      expect(decide(allowIndex, pathStyle(path)).action, path).toBe("deny");
      expect(decide(denyOtherIndex, pathStyle(path)).action, path).toBe("deny");
    }
    // Without the dot segments, the rules read the bucket as S3 does.
    expect(decide(denyOtherIndex, pathStyle("/other/key"))).toMatchObject({ ruleId: "no-other" });
    expect(decide(denyOtherIndex, pathStyle("/corp-data/key"))).toMatchObject({
      action: "allow",
      ruleId: "corp-data",
    });
  });

  it("the refusal reaches the decision event and its schema", () => {
    const decision = decide(allowIndex, pathStyle("/other/%2E%2E/corp-data/key"));
    const reasons = eventReasons(decision);
    expect(reasons).toMatchObject({ default: false, refused: decision.reasons.refused });
    const event = parseDecisionEvent({
      schemaVersion: 1,
      id: "6f1c7a2e-4b3d-4e8f-9a1b-2c3d4e5f6a7b",
      time: "2026-12-04T20:00:00.000Z",
      enforcer: { kind: "gateway", id: "gw-1" },
      kind: "request",
      action: "deny",
      src: { ip: "10.0.1.10" },
      dst: { host: "s3.eu-west-1.amazonaws.com", port: 443 },
      reasons,
    });
    expect(event.reasons.refused).toBe(decision.reasons.refused);
  });

  it.each([
    "/corp-data/key?x=/../other",
    "/corp-data/..%2Fother",
    "/corp-data/...",
    "/corp-data/.hidden/key",
    "/corp-data/%2E%2E%2E",
  ])("%s has no dot segment and is read as bucket corp-data", (path) => {
    expect(dotSegmentOf(path)).toBeUndefined();
    const decision = decide(allowIndex, pathStyle(path));
    expect(decision).toMatchObject({ action: "allow", ruleId: "corp-data" });
    expect(decideLinear(allowOne, pathStyle(path))).toEqual(decision);
  });

  it("a virtual-hosted request takes its bucket from the host, so dot segments stay keys", () => {
    const flow = on("corp-data.s3.eu-west-1.amazonaws.com", "/x/../key");
    expect(decide(allowIndex, flow)).toMatchObject({ action: "allow", ruleId: "corp-data" });
    expect(
      decide(allowIndex, on("other.s3.eu-west-1.amazonaws.com", "/../corp-data/key")),
    ).toMatchObject({ action: "deny", reasons: { default: true } });
  });

  it("keeps dot segments in the path it matches, so the bucket is the first raw segment", () => {
    expect(normalizePath("/other/%2E%2E/corp%2Ddata/key", "keep")).toBe("/other/../corp-data/key");
    expect(firstSegment(normalizePath("/other/%2E%2E/corp-data/key", "keep"))).toBe("other");
  });

  it.each([
    ["/a/../b", ".."],
    ["/a/%2E%2E/b", "%2E%2E"],
    ["/a/%2e/b", "%2e"],
    ["/a/.%2e", ".%2e"],
    ["/./a", "."],
    ["/a/b", undefined],
    ["/a..b/c.d", undefined],
    ["/a/b?../..", undefined],
  ])("dotSegmentOf(%s) is %s", (path, segment) => {
    expect(dotSegmentOf(path)).toBe(segment);
  });
});
