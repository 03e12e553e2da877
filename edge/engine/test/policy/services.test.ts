import { describe, expect, it } from "vitest";
import {
  buildIndex,
  decide,
  decideLinear,
  type Flow,
  resolvePolicy,
} from "../../src/policy/index.ts";

const policy = {
  schemaVersion: 1,
  services: [
    { id: "s3", kind: "s3", bucket: "corp-data", region: "eu-west-1" },
    {
      id: "s3-east",
      kind: "s3",
      bucket: "east.logs",
      region: "us-east-1",
      vpcEndpoints: ["vpce-0abc123-xyz"],
    },
    { id: "az", kind: "azure_storage", account: "corpstore" },
    { id: "gcs", kind: "gcs", bucket: "corp-gcs" },
  ],
  ruleSets: [
    {
      id: "egress",
      defaultAction: "deny",
      rules: [
        { id: "allow-storage", destinations: ["s3", "s3-east", "az", "gcs"], action: "allow" },
      ],
    },
  ],
};
const resolved = resolvePolicy(policy, { schemaVersion: 1, assets: [] });
const index = buildIndex(resolved);

function reach(host: string, path?: string): string | undefined {
  const flow: Flow = {
    srcIp: "10.0.0.1",
    dstHost: host,
    sni: host,
    dstPort: 443,
    ...(path ? { path } : {}),
  };
  const decision = decide(index, flow);
  expect(decideLinear(resolved, flow)).toEqual(decision);
  return decision.action === "allow" ? decision.reasons.destination?.form : undefined;
}

describe("S3 bucket host forms", () => {
  it.each([
    ["corp-data.s3.amazonaws.com", undefined, "s3:virtual-hosted"],
    ["corp-data.s3.eu-west-1.amazonaws.com", undefined, "s3:virtual-hosted-regional"],
    ["corp-data.s3-eu-west-1.amazonaws.com", undefined, "s3:virtual-hosted-dash-region"],
    ["corp-data.s3.dualstack.eu-west-1.amazonaws.com", undefined, "s3:dualstack"],
    ["corp-data.s3-fips.eu-west-1.amazonaws.com", undefined, "s3:fips"],
    ["corp-data.s3-fips.dualstack.eu-west-1.amazonaws.com", undefined, "s3:fips-dualstack"],
    ["corp-data.s3-accelerate.amazonaws.com", undefined, "s3:accelerate"],
    ["corp-data.s3-accelerate.dualstack.amazonaws.com", undefined, "s3:accelerate-dualstack"],
    [
      "corp-data.bucket.vpce-1a2b3c4d-5e6f.s3.eu-west-1.vpce.amazonaws.com",
      undefined,
      "s3:vpce-virtual-hosted",
    ],
    [
      "bucket.vpce-1a2b3c4d-5e6f.s3.eu-west-1.vpce.amazonaws.com",
      "/corp-data/k",
      "s3:vpce-path-style",
    ],
    ["s3.amazonaws.com", "/corp-data/key.csv", "s3:path-style"],
    ["s3.eu-west-1.amazonaws.com", "/corp-data", "s3:path-style-regional"],
    ["s3.eu-west-1.amazonaws.com", "/corp-data?list-type=2", "s3:path-style-regional"],
    ["s3-eu-west-1.amazonaws.com", "/corp-data/k", "s3:path-style-dash-region"],
    ["s3.dualstack.eu-west-1.amazonaws.com", "/corp-data/k", "s3:path-style-dualstack"],
    ["s3-fips.eu-west-1.amazonaws.com", "/corp-data/k", "s3:path-style-fips"],
    ["CORP-DATA.S3.EU-WEST-1.AMAZONAWS.COM.", undefined, "s3:virtual-hosted-regional"],
    ["east.logs.s3-external-1.amazonaws.com", undefined, "s3:external-1"],
    [
      "east.logs.bucket.vpce-0abc123-xyz.s3.us-east-1.vpce.amazonaws.com",
      undefined,
      "s3:vpce-virtual-hosted",
    ],
  ])("%s %s reaches the bucket as %s", (host, path, form) => {
    expect(reach(host, path)).toBe(form);
  });

  it.each([
    ["corp-data.s3.us-west-2.amazonaws.com", undefined],
    ["s3.eu-west-1.amazonaws.com", "/corp-data-other/k"],
    ["s3.eu-west-1.amazonaws.com", "/other/corp-data"],
    ["s3.eu-west-1.amazonaws.com", undefined],
    ["corp-data.s3.eu-west-1.amazonaws.com.evil.example", undefined],
    ["evilcorp-data.s3.amazonaws.com", undefined],
    ["east.logs.bucket.vpce-other.s3.us-east-1.vpce.amazonaws.com", undefined],
  ])("%s %s does not reach it", (host, path) => {
    expect(reach(host, path)).toBeUndefined();
  });
});

describe("Azure storage and GCS host forms", () => {
  it.each(["blob", "file", "queue", "table", "dfs"])(
    "reaches the %s endpoint, public and private link",
    (endpoint) => {
      expect(reach(`corpstore.${endpoint}.core.windows.net`)).toBe(`azure:${endpoint}`);
      expect(reach(`corpstore.privatelink.${endpoint}.core.windows.net`)).toBe(
        `azure:${endpoint}-privatelink`,
      );
    },
  );

  it("does not reach other accounts or the static website unless asked", () => {
    expect(reach("otherstore.blob.core.windows.net")).toBeUndefined();
    expect(reach("corpstore.web.core.windows.net")).toBeUndefined();
  });

  it.each([
    ["corp-gcs.storage.googleapis.com", undefined, "gcs:virtual-hosted"],
    ["storage.googleapis.com", "/corp-gcs/object", "gcs:path-style"],
    ["storage.googleapis.com", "/storage/v1/b/corp-gcs/o", "gcs:json-api"],
    ["storage.googleapis.com", "/upload/storage/v1/b/corp-gcs/o", "gcs:json-upload"],
    ["storage.cloud.google.com", "/corp-gcs/object", "gcs:authenticated-browser"],
  ])("%s %s reaches the GCS bucket as %s", (host, path, form) => {
    expect(reach(host, path)).toBe(form);
  });

  it("needs the path for path-style forms, so SNI alone never matches them", () => {
    expect(reach("storage.googleapis.com")).toBeUndefined();
    expect(reach("storage.googleapis.com", "/corp-gcs-2/object")).toBeUndefined();
  });
});
