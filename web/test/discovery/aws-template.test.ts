import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const template = readFileSync(
  new URL("../../../infra/aws/ringfence-readonly-role.yaml", import.meta.url),
  "utf8",
);

interface Statement {
  Action: string[] | string;
  Condition?: Record<string, Record<string, unknown>>;
}

// CloudFormation's short-form intrinsics (!Ref, !GetAtt) are custom YAML tags; read them as text.
const customTags = [
  { tag: "!Ref", resolve: (value: string) => ({ Ref: value }) },
  { tag: "!GetAtt", resolve: (value: string) => ({ "Fn::GetAtt": value }) },
];

describe("the onboarding CloudFormation template", () => {
  const doc = parse(template, { customTags }) as {
    Resources: {
      DiscoveryRole: {
        Properties: {
          AssumeRolePolicyDocument: { Statement: Statement[] };
          Policies: { PolicyDocument: { Statement: Statement[] } }[];
        };
      };
    };
  };
  const role = doc.Resources.DiscoveryRole.Properties;
  const actions = role.Policies.flatMap((p) => p.PolicyDocument.Statement).flatMap((s) =>
    Array.isArray(s.Action) ? s.Action : [s.Action],
  );

  it("trusts Ringfence only with the ExternalId condition", () => {
    const [trust] = role.AssumeRolePolicyDocument.Statement;
    expect(trust?.Condition?.StringEquals?.["sts:ExternalId"]).toEqual({ Ref: "ExternalId" });
  });

  it("grants every action the connector calls and no data read or write", () => {
    for (const needed of [
      "ec2:DescribeRegions",
      "ec2:DescribeInstances",
      "ec2:DescribeVpcEndpoints",
      "s3:GetBucketPolicy",
      "s3:GetBucketPublicAccessBlock",
    ]) {
      expect(actions).toContain(needed);
    }
    expect(actions.filter((a) => /GetObject|PutObject|\*|Delete|Create|Modify/.test(a))).toEqual(
      [],
    );
  });
});
