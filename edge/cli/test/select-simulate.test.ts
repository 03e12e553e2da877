import { describe, expect, it } from "vitest";
import { cloud, fixture, ringfence } from "./run-cli.ts";

const instances = cloud("aws/describe-instances.json");
const buckets = cloud("aws/list-buckets.json");

describe("ringfence select", () => {
  it("matches assets across cloud exports detected by content", async () => {
    const run = await ringfence(
      "select",
      "--inventory",
      instances,
      cloud("azure/vm-list.json"),
      cloud("gcp/instances.json"),
      'tag.OS == "x" or tag["Cost Center"] == "Retail Banking" or image == "OpenLogic:CentOS:7_9:latest" or tag.env == "prod"',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([
      "i-0a1b2c3d4e5f60001",
      "i-0a1b2c3d4e5f60002",
      "/subscriptions/0b1f6471-1bf0-4dda-aec3-111111111111/resourceGroups/RG-PROD/providers/Microsoft.Compute/virtualMachines/web-centos-1",
      "projects/acme-prod/zones/us-central1-a/instances/api-1",
    ]);
  });

  it("selects the Azure NIC in VNetb and nothing for an unmatched selector", async () => {
    const nics = cloud("azure/nic-list.json");
    const vnet = await ringfence("select", "--inventory", nics, 'vnet == "VNetb"');
    expect(JSON.parse(vnet.stdout)).toHaveLength(1);
    const none = await ringfence("select", "--inventory", nics, 'vnet == "VNeta"');
    expect(JSON.parse(none.stdout)).toEqual([]);
  });

  it("exits 1 naming file, field and record of a bad export", async () => {
    const run = await ringfence("select", "--inventory", cloud("bad/instances.json"), 'vpc == "x"');
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(
      /instances\.json: Reservations\[2\]\.Instances\[0\]\.PrivateIpAddress: expected an IPv4 address, got "x" \(record i-0badbadbadbad0001\)$/,
    );
  });

  it("exits 1 for a missing file and 2 for a bad selector", async () => {
    const missing = await ringfence("select", "--inventory", "nope.json", 'vpc == "x"');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/nope\.json: cannot read the file \(ENOENT\)/);
    const syntax = await ringfence("select", "--inventory", instances, "vpc == ");
    expect(syntax.code).toBe(2);
    expect(syntax.stderr).toMatch(/selector 1:8/);
  });
});

describe("ringfence simulate", () => {
  const base = ["simulate", "--policy", fixture("policy.yaml"), "--inventory", instances, buckets];

  it("allows the card API to reach the cardholder bucket, naming rule and objects", async () => {
    const run = await ringfence(
      ...base,
      "--src",
      "10.10.2.31",
      "--dst",
      "cardholder-records-2019.s3.amazonaws.com",
    );
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      action: "allow",
      ruleId: "api-to-bucket",
      reasons: {
        sourceObjects: ["card-api"],
        destination: { type: "service", id: "cardholder-bucket" },
        default: false,
      },
    });
  });

  it("denies the WAF tier the bucket by default and allows it the API port", async () => {
    const bucket = await ringfence(
      ...base,
      "--src",
      "10.10.1.21",
      "--dst",
      "cardholder-records-2019.s3.amazonaws.com:443",
    );
    expect(JSON.parse(bucket.stdout)).toMatchObject({ action: "deny", reasons: { default: true } });
    const api = await ringfence(...base, "--src", "10.10.1.21", "--dst", "10.10.2.31:8443");
    expect(JSON.parse(api.stdout)).toMatchObject({ action: "allow", ruleId: "waf-to-api" });
  });

  it("exits 1 naming the policy file and field of a schema error", async () => {
    const args = ["simulate", "--policy", fixture("policy-bad.yaml"), "--inventory", instances];
    const run = await ringfence(...args, "--src", "10.0.0.1", "--dst", "a.example");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/policy-bad\.yaml: ruleSets\[0\]\.defaultAction: /);
  });

  it.each([
    [["--src", "nope", "--dst", "10.10.2.31"], /invalid flow srcIp/],
    [["--src", "10.0.0.1", "--dst", "host:99999"], /--dst: expected HOST\[:PORT\]/],
    [["--src", "10.0.0.1"], /give --dst/],
  ])("exits 2 for flow flags %j", async (flags, message) => {
    const run = await ringfence(...base, ...flags);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
