import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsReplay } from "../../../test/replay/aws/index.ts";
import { bucketRestrictions } from "../../src/server/discovery/aws/bucket-policy.ts";
import { discoverAws } from "../../src/server/discovery/aws/index.ts";
import { postureFindings } from "../../src/server/discovery/posture/findings.ts";
import type { DiscoveryResult } from "../../src/server/discovery/types.ts";
import { connection, demoAccount, startAwsReplay, target, world } from "./aws-fixtures.ts";

const gateways = { awsVpcEndpointIds: ["vpce-gw1"], egressIps: [], azureSubnetIds: [] };
let replay: AwsReplay;
let discovered: DiscoveryResult;

beforeAll(async () => {
  const account = demoAccount();
  replay = await startAwsReplay(world([account]));
  discovered = await discoverAws(connection(replay), target(account));
});
afterAll(async () => replay.close());

describe("posture findings from a discovered AWS account", () => {
  it("flags the bucket without a gateway condition and generates the policy that closes it", () => {
    const findings = postureFindings(discovered.assets, gateways);
    const bucket = findings.find((finding) => finding.kind === "bucket_bypasses_gateway");
    expect(bucket?.assetId).toBe("arn:aws:s3:::records-open");
    expect(findings.some((finding) => finding.assetId === "arn:aws:s3:::records-closed")).toBe(
      false,
    );

    const fixed = JSON.stringify(bucket?.fix.document);
    expect(bucketRestrictions(fixed)).toEqual({ vpce: ["vpce-gw1"], vpc: [], sourceIp: [] });
    const patched = discovered.assets.map((asset) =>
      asset.id === bucket?.assetId
        ? {
            ...asset,
            attributes: {
              ...asset.attributes,
              "access.policy": fixed,
              "access.vpce": ["vpce-gw1"],
            },
          }
        : asset,
    );
    expect(
      postureFindings(patched, gateways).some((f) => f.kind === "bucket_bypasses_gateway"),
    ).toBe(false);
  });

  it("flags the instance still accepting IMDSv1 with the metadata options that fix it", () => {
    const imds = postureFindings(discovered.assets, gateways).filter(
      (f) => f.kind === "imds_v1_allowed",
    );
    expect(imds).toHaveLength(1);
    expect(imds[0]?.fix.document).toEqual({
      InstanceId: "i-web1",
      HttpTokens: "required",
      HttpEndpoint: "enabled",
      HttpPutResponseHopLimit: 1,
    });
  });

  it("treats an Allow with a VPC-endpoint condition as not closing the bucket", () => {
    const allowOnly = JSON.stringify({
      Statement: [
        {
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Condition: { StringEquals: { "aws:SourceVpce": "vpce-gw1" } },
        },
      ],
    });
    expect(bucketRestrictions(allowOnly)).toEqual({ vpce: [], vpc: [], sourceIp: [] });
    expect(bucketRestrictions("{not json")).toEqual({ vpce: [], vpc: [], sourceIp: [] });
  });

  it("keeps the customer's own statements in the generated bucket policy", () => {
    const own = {
      Sid: "Audit",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::111122223333:role/Audit" },
      Action: "s3:GetBucketLocation",
      Resource: "arn:aws:s3:::x",
    };
    const asset = {
      ...discovered.assets.find((a) => a.name === "records-open"),
      attributes: { "access.policy": JSON.stringify({ Statement: [own] }) },
    };
    const [finding] = postureFindings([asset as (typeof discovered.assets)[number]], gateways);
    const document = finding?.fix.document as { Statement: unknown[] } | undefined;
    expect(document?.Statement[0]).toEqual(own);
  });
});
