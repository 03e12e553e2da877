import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Inventory, PolicyInput } from "../../src/documents/index.ts";
import {
  buildIndex,
  decide,
  decideLinear,
  type Flow,
  type IndexOptions,
  resolvePolicy,
} from "../../src/policy/index.ts";
import { asset } from "./fixtures.ts";

const V4 = [
  "10.0.0.0",
  "10.0.0.1",
  "10.0.0.2",
  "10.0.0.3",
  "10.0.0.6",
  "10.0.1.1",
  "169.254.169.254",
  "127.0.0.1",
];
const V6 = ["fd00::1", "fd00::2", "2001:db8::1", "::1", "fd00:ec2::254"];
const ADDRESSES = [...V4, ...V6];
const CIDRS = [
  "10.0.0.0/30",
  "10.0.0.0/24",
  "10.0.0.4/31",
  "0.0.0.0/0",
  "fd00::/126",
  "2001:db8::/32",
  "10.0.0.1-10.0.0.6",
  "::/0",
];
const HOSTS = [
  "a.example.com",
  "b.a.example.com",
  "example.com",
  "x.s3.amazonaws.com",
  "bkt.s3.eu-west-1.amazonaws.com",
  "s3.eu-west-1.amazonaws.com",
  "acct.blob.core.windows.net",
  "storage.googleapis.com",
  "gbk.storage.googleapis.com",
  "localhost",
];
const PATTERNS = [
  "a.example.com",
  "*.example.com",
  "**.example.com",
  "example.com",
  "**.a.example.com",
  "*.s3.amazonaws.com",
];
const TAGS = ["web", "db", "worker"];

const inventoryArb = fc
  .array(
    fc.record({
      role: fc.constantFrom(...TAGS),
      priv: fc.subarray(ADDRESSES, { maxLength: 2 }),
      pub: fc.subarray(V4, { maxLength: 1 }),
      vpc: fc.constantFrom("vpc-a", "vpc-b"),
    }),
    { maxLength: 8 },
  )
  .map(
    (rows): Inventory => ({
      schemaVersion: 1,
      assets: rows.map((row, i) =>
        asset(`a-${i}`, {
          addresses: { private: row.priv, public: row.pub },
          tags: { Role: row.role },
          attributes: { vpc: row.vpc },
        }),
      ),
    }),
  );

const objectsArb = fc.tuple(
  fc.array(fc.constantFrom(...TAGS), { minLength: 1, maxLength: 3 }),
  fc.array(fc.subarray(CIDRS, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
  fc.array(fc.subarray(PATTERNS, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 2 }),
);

function objectsOf([roles, statics, fqdns]: [string[], string[][], string[][]]): {
  objects: PolicyInput["objects"];
  ids: string[];
  sourceIds: string[];
} {
  const objects: NonNullable<PolicyInput["objects"]> = [
    ...roles.map((role, i) => ({
      id: `dyn-${i}`,
      kind: "dynamic" as const,
      selector: i % 2 ? `tag.Role == "${role}"` : `not (tag.Role == "${role}")`,
      ...(i === 2 ? { scope: { vpcs: ["vpc-a"] } } : {}),
    })),
    ...statics.map((addresses, i) => ({ id: `st-${i}`, kind: "static" as const, addresses })),
    ...fqdns.map((list, i) => ({ id: `fq-${i}`, kind: "fqdn" as const, fqdns: list })),
    {
      id: "grp",
      kind: "group" as const,
      include: ["st-0", "fq-0", "builtin:loopback"],
      exclude: ["dyn-0"],
    },
  ];
  const ids = [...objects.map((o) => o.id), "builtin:cloud-metadata", "builtin:private"];
  const sourceIds = ids.filter((id) => !id.startsWith("fq-"));
  return { objects, ids, sourceIds };
}

const SERVICES: NonNullable<PolicyInput["services"]> = [
  { id: "s3", kind: "s3", bucket: "bkt", region: "eu-west-1" },
  { id: "az", kind: "azure_storage", account: "acct", ports: [443] },
  { id: "gcs", kind: "gcs", bucket: "gbk" },
  { id: "web-api", kind: "fqdn", hosts: ["*.example.com"], pathPrefixes: ["/api"] },
  { id: "gcs-root", kind: "fqdn", hosts: ["storage.googleapis.com"], pathPrefixes: ["/", "/b/"] },
];

const ruleArb = (ids: string[], sourceIds: string[]) =>
  fc.record({
    sources: fc.option(fc.subarray(sourceIds, { minLength: 1, maxLength: 2 }), { nil: undefined }),
    destinations: fc.option(
      fc.subarray([...ids, ...SERVICES.map((s) => s.id)], { minLength: 1, maxLength: 3 }),
      { nil: undefined },
    ),
    ports: fc.option(fc.constantFrom([443], [80, 443], ["1-1024"], ["8000-9000", 22]), {
      nil: undefined,
    }),
    action: fc.constantFrom("allow" as const, "deny" as const),
    mode: fc.constantFrom("forwarding" as const, "proxy" as const),
    monitor: fc.boolean(),
    enabled: fc.boolean(),
  });

const scenarioArb = fc.tuple(inventoryArb, objectsArb).chain(([inventory, objectParts]) => {
  const { objects, ids, sourceIds } = objectsOf(objectParts);
  const ruleSet = fc.record({
    defaultAction: fc.constantFrom("allow" as const, "deny" as const, "next" as const),
    rules: fc.array(ruleArb(ids, sourceIds), { maxLength: 8 }),
  });
  return fc.record({
    inventory: fc.constant(inventory),
    objects: fc.constant(objects),
    ruleSets: fc.array(ruleSet, { minLength: 1, maxLength: 3 }),
  });
});

const flowArb = fc.record(
  {
    srcIp: fc.oneof(
      fc.constantFrom(...ADDRESSES),
      fc.constantFrom(...V4).map((ip) => `::ffff:${ip}`),
    ),
    dstIp: fc.constantFrom(...ADDRESSES),
    dstHost: fc.constantFrom(...HOSTS, "10.0.0.1"),
    sni: fc.constantFrom(...HOSTS),
    dstPort: fc.constantFrom(443, 443, 443, 80, 22, 5432, 8080),
    path: fc.constantFrom(
      "/",
      "/bkt/key",
      "/bkt",
      "/bkt?list-type=2",
      "/bkt%2Fkey",
      "/x/..%2Fbkt/key",
      "/x/../bkt/key",
      "/x/%2E%2E/bkt/key",
      "/x/%2e./bkt",
      "/./bkt/key",
      "/bkt/%2E/key",
      "/bkt/key?x=/../y",
      "/bkt/..%2Fkey",
      "/gbk",
      "/api/x",
      "/apix",
      "/b/gbk",
      "/storage/v1/b/gbk/o",
    ),
  },
  { requiredKeys: ["srcIp", "dstPort"] },
);

/** Fixed probes added to every scenario so each service kind is exercised whatever the draw. */
const PROBES: Flow[] = [
  "acct.blob.core.windows.net",
  "gbk.storage.googleapis.com",
  "bkt.s3.amazonaws.com",
].flatMap((host) => ADDRESSES.map((srcIp) => ({ srcIp, sni: host, dstHost: host, dstPort: 443 })));

/** Flows where SNI and Host usually agree, as they do in honest traffic. */
const honestFlowArb = fc
  .tuple(flowArb, fc.boolean())
  .map(([flow, agree]) => (agree && flow.dstHost ? { ...flow, sni: flow.dstHost } : flow));

function policyOf(scenario: {
  objects: PolicyInput["objects"];
  ruleSets: { defaultAction: "allow" | "deny" | "next"; rules: object[] }[];
}): unknown {
  let ruleNumber = 0;
  const ruleSets = scenario.ruleSets.map((set, s, all) => ({
    id: `set-${s}`,
    defaultAction:
      s === all.length - 1 && set.defaultAction === "next" ? ("deny" as const) : set.defaultAction,
    rules: set.rules.map((rule) => ({ ...rule, id: `rule-${ruleNumber++}` })),
  }));
  return {
    schemaVersion: 1,
    objects: scenario.objects,
    services: SERVICES,
    ruleSets,
    profiles: [],
  };
}

/**
 * The index finds rules with sources in three ways, chosen per flow by cost; each is forced
 * here in turn, with a pair limit of one so that rules also land on the wide lists.
 */
const INDEX_OPTIONS: IndexOptions[] = [
  {},
  { side: "destination" },
  { side: "source" },
  { side: "pairs" },
  { side: "pairs", pairLimit: 1 },
];

describe("indexed and linear decisions", () => {
  it("agree on random policies, inventories and flows", () => {
    const outcomes = new Map<string, number>();
    fc.assert(
      fc.property(
        scenarioArb,
        fc.array(honestFlowArb, { minLength: 1, maxLength: 12 }),
        (scenario, flows) => {
          const resolved = resolvePolicy(policyOf(scenario), scenario.inventory);
          const indexes = INDEX_OPTIONS.map((options) => buildIndex(resolved, options));
          for (const flow of [...(flows as Flow[]), ...PROBES]) {
            const decision = decideLinear(resolved, flow);
            const want = JSON.stringify(decision);
            // Compared as JSON: toEqual on every pair would cost most of the test's time.
            for (const [i, index] of indexes.entries())
              expect(JSON.stringify(decide(index, flow)), JSON.stringify(INDEX_OPTIONS[i])).toBe(
                want,
              );
            const destination = decision.reasons.destination?.form;
            const outcome =
              destination ??
              (decision.reasons.refused ? "refused" : decision.reasons.default ? "default" : "any");
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          }
        },
      ),
      { numRuns: 120 },
    );
    // The generators must reach every kind of match, or agreement would prove little.
    const reached = [...outcomes.keys()].map((form) => form.split(":")[0]);
    expect(new Set(reached)).toEqual(
      new Set(["default", "any", "address", "fqdn", "s3", "gcs", "azure", "refused"]),
    );
  }, 60_000);

  it("resolve is deterministic to the byte", () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => {
        const policy = policyOf(scenario);
        const first = JSON.stringify(resolvePolicy(policy, scenario.inventory));
        expect(
          JSON.stringify(
            resolvePolicy(structuredClone(policy), structuredClone(scenario.inventory)),
          ),
        ).toBe(first);
      }),
      { numRuns: 50 },
    );
  });
});

const BUCKETS = ["alpha", "beta", "gamma"];
const DOTS = ["..", ".", "%2E%2E", "%2e%2e", "%2E%2e", ".%2E", "%2e.", "%2E", "%2e"];
const PATH_STYLE = [
  "s3.amazonaws.com",
  "s3.eu-west-1.amazonaws.com",
  "s3-eu-west-1.amazonaws.com",
  "s3.dualstack.eu-west-1.amazonaws.com",
  "bucket.vpce-0abc.s3.eu-west-1.vpce.amazonaws.com",
];

/** A path-style request's segments, some of them dot segments in any spelling. */
const dotPathArb = fc
  .array(fc.oneof(fc.constantFrom(...BUCKETS, "key", "k%2Fv"), fc.constantFrom(...DOTS)), {
    minLength: 1,
    maxLength: 5,
  })
  .map((segments) => `/${segments.join("/")}`);

/** Allow or deny rules on random buckets, in random order, over a default of either kind. */
const bucketPolicyArb = fc
  .record({
    rules: fc.array(
      fc.record({ bucket: fc.constantFrom(...BUCKETS), action: fc.constantFrom("allow", "deny") }),
      { maxLength: 4 },
    ),
    defaultAction: fc.constantFrom("allow", "deny"),
  })
  .map(({ rules, defaultAction }) =>
    resolvePolicy(
      {
        schemaVersion: 1,
        objects: [],
        services: BUCKETS.map((bucket) => ({
          id: bucket,
          kind: "s3",
          bucket,
          region: "eu-west-1",
        })),
        ruleSets: [
          {
            id: "egress",
            defaultAction,
            rules: rules.map((rule, i) => ({
              id: `r-${i}`,
              destinations: [rule.bucket],
              action: rule.action,
              mode: "proxy",
            })),
          },
        ],
        profiles: [],
      },
      { schemaVersion: 1, assets: [] },
    ),
  );

describe("path-style S3 buckets", () => {
  it("a path with a dot segment is refused by both, and any other is read by its first raw segment", () => {
    fc.assert(
      fc.property(
        bucketPolicyArb,
        dotPathArb,
        fc.constantFrom(...PATH_STYLE),
        (resolved, path, host) => {
          const flow: Flow = { srcIp: "10.0.0.1", dstHost: host, sni: host, dstPort: 443, path };
          const want = decideLinear(resolved, flow);
          for (const options of INDEX_OPTIONS)
            expect(decide(buildIndex(resolved, options), flow)).toEqual(want);

          const segments = path.slice(1).split("/");
          const dotted = segments.some((segment) => DOTS.includes(segment));
          if (dotted) {
            expect(want).toMatchObject({ action: "deny", reasons: { default: false } });
            expect(want.ruleId).toBeUndefined();
            expect(want.reasons.refused).toMatch(/dot segment "[.%2Ee]+"/);
            return;
          }
          expect(want.reasons.refused).toBeUndefined();
          // The first rule on the first raw segment's bucket decides, else the default.
          const bucket = segments[0];
          const rule = resolved.ruleSets[0]?.rules.find((r) => r.destinations?.[0]?.id === bucket);
          expect(want.ruleId).toBe(rule?.id);
          expect(want.action).toBe(rule?.action ?? resolved.ruleSets[0]?.defaultAction);
        },
      ),
      { numRuns: 300 },
    );
  });
});
