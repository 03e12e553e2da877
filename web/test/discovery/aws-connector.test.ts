import { afterEach, describe, expect, it } from "vitest";
import type { AwsReplay } from "../../../test/replay/aws/index.ts";
import { discoverAws, verifyAwsRole } from "../../src/server/discovery/aws/index.ts";
import { DiscoveryError } from "../../src/server/discovery/types.ts";
import { connection, demoAccount, startAwsReplay, target, world } from "./aws-fixtures.ts";

let replay: AwsReplay | undefined;
afterEach(async () => {
  await replay?.close();
  replay = undefined;
});

describe("AWS discovery against the replay server", () => {
  it("reads every enabled region and the buckets into canonical assets", async () => {
    const account = demoAccount();
    replay = await startAwsReplay(world([account]));
    const result = await discoverAws(connection(replay), target(account));

    expect(result.problems).toEqual([]);
    expect(result.scopes).toEqual(["region:eu-west-1", "region:us-east-1", "s3"]);
    const instance = result.assets.find((asset) => asset.kind === "instance");
    expect(instance).toMatchObject({
      id: "arn:aws:ec2:us-east-1:111122223333:instance/i-web1",
      name: "web-1",
      zone: "us-east-1a",
      state: "running",
      addresses: { private: ["10.0.1.10"], public: ["203.0.113.10"] },
      tags: { app: "web", Name: "web-1" },
      attributes: {
        vpc: "vpc-1",
        subnet: "subnet-1",
        security_groups: ["sg-1"],
        os: "linux",
        "imds.http_tokens": "optional",
      },
    });
    const kinds = result.assets.map((asset) => asset.kind).sort();
    expect(kinds).toEqual([
      "bucket",
      "bucket",
      "instance",
      "network_interface",
      "security_group",
      "subnet",
      "vpc",
      "vpc",
      "vpc_endpoint",
    ]);
    const closed = result.assets.find((asset) => asset.name === "records-closed");
    expect(closed).toMatchObject({
      region: "eu-west-1",
      attributes: { "access.vpce": ["vpce-gw1"], "access.public_block": "on" },
    });
  });

  it("follows NextToken across pages", async () => {
    const account = demoAccount();
    const east = account.regions["us-east-1"];
    for (let i = 0; i < 7; i++)
      east?.vpcs.push({ vpcId: `vpc-x${i}`, cidrBlock: "10.9.0.0/16", isDefault: false, tags: [] });
    replay = await startAwsReplay(world([account], 2));
    const result = await discoverAws(connection(replay), target(account));
    expect(
      result.assets.filter((asset) => asset.kind === "vpc" && asset.region === "us-east-1"),
    ).toHaveLength(8);
    expect(replay.calls.get("ec2:DescribeVpcs")).toBeGreaterThanOrEqual(5);
  });

  it("retries RequestLimitExceeded with backoff and still returns the region", async () => {
    const account = demoAccount();
    replay = await startAwsReplay({ ...world([account]), throttle: { DescribeSubnets: 2 } });
    const result = await discoverAws(connection(replay, 6), target(account));
    expect(result.problems).toEqual([]);
    expect(result.assets.some((asset) => asset.kind === "subnet")).toBe(true);
    expect(replay.world.throttle.DescribeSubnets).toBe(0);
  });

  it("keeps the other regions' assets when one region fails, recording the failure", async () => {
    const account = demoAccount();
    const west = account.regions["eu-west-1"];
    if (west) west.failure = { status: 500, code: "InternalError", message: "region down" };
    replay = await startAwsReplay(world([account]));
    const result = await discoverAws(connection(replay, 1), target(account));
    expect(result.scopes).toEqual(["region:us-east-1", "s3"]);
    expect(result.problems).toEqual([
      expect.objectContaining({ scope: "region:eu-west-1", code: "InternalError" }),
    ]);
    expect(result.assets.some((asset) => asset.kind === "instance")).toBe(true);
  });

  it("names the missing IAM action when the role lacks one", async () => {
    const account = {
      ...demoAccount(),
      deniedActions: ["ec2:DescribeVpcEndpoints", "s3:GetBucketPolicy"],
    };
    replay = await startAwsReplay(world([account]));
    const result = await discoverAws(connection(replay), target(account));
    const missing = result.problems.map((problem) => problem.missingPermission).sort();
    expect(missing).toEqual([
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeVpcEndpoints",
      "s3:GetBucketPolicy",
      "s3:GetBucketPolicy",
    ]);
    expect(result.problems[0]?.message).toMatch(/lacks (ec2|s3):\w+; add it to the role's policy/);
  });

  it("refuses a wrong ExternalId with a status naming the trust policy", async () => {
    const account = demoAccount();
    replay = await startAwsReplay(world([account]));
    const attempt = discoverAws(connection(replay), target(account, "rf-ext-wrong"));
    await expect(attempt).rejects.toBeInstanceOf(DiscoveryError);
    await expect(attempt).rejects.toThrow(
      "AccessDenied assuming role arn:aws:iam::111122223333:role/RingfenceReadOnly: the role's trust policy must require ExternalId rf-ext-wrong",
    );
  });

  it("verify passes only when the role needs the ExternalId and can read", async () => {
    const account = demoAccount();
    replay = await startAwsReplay(world([account]));
    const good = await verifyAwsRole(connection(replay), target(account));
    expect(good).toMatchObject({ ok: true, problems: [] });
    expect(good.checks.every((check) => check.ok)).toBe(true);
    expect(replay.calls.get("ec2:DescribeInstances")).toBe(1);

    const wrong = await verifyAwsRole(connection(replay), target(account, "rf-ext-nope"));
    expect(wrong.ok).toBe(false);
    expect(wrong.problems).toEqual([
      expect.objectContaining({
        code: "AccessDenied",
        message: expect.stringContaining("trust policy must require ExternalId rf-ext-nope"),
      }),
    ]);
  });

  it("verify names the action a role without it was denied", async () => {
    const account = { ...demoAccount(), deniedActions: ["ec2:DescribeInstances"] };
    replay = await startAwsReplay(world([account]));
    const result = await verifyAwsRole(connection(replay), target(account));
    expect(result.ok).toBe(false);
    expect(result.problems).toEqual([
      expect.objectContaining({
        code: "UnauthorizedOperation",
        missingPermission: "ec2:DescribeInstances",
        message: expect.stringMatching(/the role lacks ec2:DescribeInstances; add it/),
      }),
    ]);
    expect(result.checks).toContainEqual({ check: "ec2:DescribeRegions", ok: true });
  });

  it("is refused by the replay when the control plane's key is wrong", async () => {
    const account = demoAccount();
    replay = await startAwsReplay(world([account]));
    const bad = {
      ...connection(replay),
      credentials: { accessKeyId: "AKIAWRONG", secretAccessKey: "x" },
    };
    await expect(discoverAws(bad, target(account))).rejects.toThrow(
      /InvalidClientTokenId assuming role/,
    );
  });
});
