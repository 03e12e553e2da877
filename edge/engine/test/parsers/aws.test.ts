import { describe, expect, it } from "vitest";
import { detectAndParse } from "../../src/parsers/index.ts";
import instances from "../fixtures/cloud/aws/describe-instances.json?raw";
import enis from "../fixtures/cloud/aws/describe-network-interfaces.json?raw";
import groups from "../fixtures/cloud/aws/describe-security-groups.json?raw";
import subnets from "../fixtures/cloud/aws/describe-subnets.json?raw";
import vpcs from "../fixtures/cloud/aws/describe-vpcs.json?raw";
import buckets from "../fixtures/cloud/aws/list-buckets.json?raw";

describe("aws ec2 describe-instances", () => {
  const { format, inventory } = detectAndParse("instances.json", instances);
  const byId = new Map(inventory.assets.map((asset) => [asset.id, asset]));

  it("is detected by content and yields one asset per instance", () => {
    expect(format).toBe("aws-ec2-describe-instances");
    expect([...byId.keys()]).toEqual([
      "i-0a1b2c3d4e5f60001",
      "i-0a1b2c3d4e5f60002",
      "i-0a1b2c3d4e5f60003",
    ]);
  });

  it("maps a CentOS 7 web instance with IMDSv1 onto canonical attributes", () => {
    expect(byId.get("i-0a1b2c3d4e5f60001")).toEqual({
      id: "i-0a1b2c3d4e5f60001",
      provider: "aws",
      kind: "instance",
      account: "111122223333",
      region: "us-east-1",
      zone: "us-east-1a",
      state: "running",
      name: "waf-proxy-1",
      addresses: { private: ["10.10.1.21", "10.10.1.22"], public: ["203.0.113.10"] },
      attributes: {
        instance_id: "i-0a1b2c3d4e5f60001",
        instance_type: "t3.medium",
        vpc: "vpc-0a11111111111111a",
        subnet: "subnet-0aa1111111111111a",
        security_groups: ["sg-0aa0000000000web1"],
        image: "ami-0e5c29e6c87a9644f",
        platform: "Linux/UNIX",
        os: "linux",
        "imds.http_tokens": "optional",
      },
      tags: {
        Name: "waf-proxy-1",
        "Cost Center": "Retail Banking",
        "app.kubernetes.io/name": "modsecurity",
        "aws:cloudformation:stack-name": "waf-stack",
        "OS Version": "CentOS 7.4",
        "ringfence:tier": "edge",
      },
    });
  });

  it("keeps IPv6, several security groups, other VPCs and Windows", () => {
    const app = byId.get("i-0a1b2c3d4e5f60002");
    expect(app?.addresses.private).toEqual(["10.10.2.31", "2600:1f18:abc:de00::31"]);
    expect(app?.attributes.security_groups).toEqual([
      "sg-0bb00000000000app",
      "sg-0cc0000000000mon1",
    ]);
    const bastion = byId.get("i-0a1b2c3d4e5f60003");
    expect(bastion).toMatchObject({ region: "us-west-2", state: "stopped", name: "bastion win" });
    expect(bastion?.attributes).toMatchObject({ vpc: "vpc-0b22222222222222b", os: "windows" });
  });
});

describe("the other AWS outputs", () => {
  it("reads network interfaces with their attachment and public address", () => {
    const { format, inventory } = detectAndParse("enis.json", enis);
    expect(format).toBe("aws-ec2-describe-network-interfaces");
    expect(inventory.assets[0]).toMatchObject({
      id: "eni-0aa00000000000001",
      kind: "network_interface",
      addresses: { private: ["10.10.1.21", "10.10.1.22"], public: ["203.0.113.10"] },
      attributes: { instance_id: "i-0a1b2c3d4e5f60001", security_groups: ["sg-0aa0000000000web1"] },
    });
    expect(inventory.assets[1]?.attributes.interface_type).toBe("vpc_endpoint");
  });

  it("reads VPCs with every CIDR, using the caller's region since the output has none", () => {
    const { inventory } = detectAndParse("vpcs.json", vpcs, { region: "us-east-1" });
    expect(inventory.assets.map((a) => [a.id, a.region, a.attributes.cidr])).toEqual([
      ["vpc-0a11111111111111a", "us-east-1", ["10.10.0.0/16", "100.64.0.0/16"]],
      ["vpc-0b22222222222222b", "us-east-1", ["172.20.0.0/16"]],
    ]);
    expect(inventory.assets[0]?.tags).toEqual({ Name: "prod core", env: "prod" });
  });

  it("reads subnets, taking the region from the ARN", () => {
    const { inventory } = detectAndParse("subnets.json", subnets);
    expect(inventory.assets[0]).toMatchObject({
      id: "subnet-0aa1111111111111a",
      kind: "subnet",
      region: "us-east-1",
      attributes: { vpc: "vpc-0a11111111111111a", cidr: "10.10.1.0/24" },
      tags: { tier: "dmz" },
    });
  });

  it("reads security groups, naming them by group name when untagged", () => {
    const { inventory } = detectAndParse("sgs.json", groups, { region: "us-west-2" });
    expect(inventory.assets.map((a) => [a.id, a.name, a.region])).toEqual([
      ["sg-0aa0000000000web1", "waf-web", "us-east-1"],
      ["sg-0dd000000000dflt1", "default", "us-west-2"],
    ]);
  });

  it("reads buckets as ARNs, with the account from context", () => {
    const { format, inventory } = detectAndParse("b.json", buckets, { account: "111122223333" });
    expect(format).toBe("aws-s3api-list-buckets");
    expect(inventory.assets.map((a) => [a.id, a.account, a.region])).toEqual([
      ["arn:aws:s3:::cardholder-records-2019", "111122223333", "us-east-1"],
      ["arn:aws:s3:::waf-logs.prod", "111122223333", "unknown"],
    ]);
  });
});
