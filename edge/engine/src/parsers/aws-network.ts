/**
 * `aws ec2 describe-vpcs`, `describe-subnets`, `describe-security-groups` and
 * `aws s3api list-buckets`. VPC, security group and bucket records carry no region, so the
 * region comes from an ARN when present, else from the caller's context.
 */
import type { Asset } from "../documents/index.ts";
import { attributes, awsArnParts, awsRegionOfZone, type ParseContext, UNKNOWN } from "./asset.ts";
import type { Reader } from "./reader.ts";

function base(record: Reader, id: string, kind: string, context: ParseContext, arn?: string) {
  const fromArn = awsArnParts(arn);
  const tags = record.at("Tags").awsTags();
  return {
    id,
    provider: "aws" as const,
    kind,
    account: record.at("OwnerId").optionalString() ?? fromArn.account ?? context.account ?? UNKNOWN,
    region: fromArn.region ?? context.region ?? UNKNOWN,
    name: tags.Name,
    addresses: { private: [], public: [] },
    tags,
  };
}

/** Parses `aws ec2 describe-vpcs`. */
export function parseVpcs(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("Vpcs")
    .list()
    .map((item) => {
      const id = item.object().at("VpcId").string();
      const record = item.inRecord(id);
      const cidrs = record.at("CidrBlockAssociationSet").list(true);
      return {
        ...base(record, id, "vpc", context),
        state: record.at("State").optionalString(),
        attributes: attributes({
          vpc: id,
          cidr: [
            record.at("CidrBlock").string(),
            ...cidrs.map((c) => c.at("CidrBlock").string()),
          ].filter((c, i, all) => all.indexOf(c) === i),
          is_default: String(record.at("IsDefault").optionalBoolean() ?? false),
        }),
      };
    });
}

/** Parses `aws ec2 describe-subnets`. */
export function parseSubnets(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("Subnets")
    .list()
    .map((item) => {
      const id = item.object().at("SubnetId").string();
      const record = item.inRecord(id);
      const zone = record.at("AvailabilityZone").optionalString();
      const asset = base(record, id, "subnet", context, record.at("SubnetArn").optionalString());
      return {
        ...asset,
        region: zone && asset.region === UNKNOWN ? awsRegionOfZone(zone) : asset.region,
        ...(zone ? { zone } : {}),
        state: record.at("State").optionalString(),
        attributes: attributes({
          subnet: id,
          vpc: record.at("VpcId").string(),
          cidr: record.at("CidrBlock").optionalString(),
        }),
      };
    });
}

/** Parses `aws ec2 describe-security-groups`. */
export function parseSecurityGroups(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("SecurityGroups")
    .list()
    .map((item) => {
      const id = item.object().at("GroupId").string();
      const record = item.inRecord(id);
      const arn = record.at("SecurityGroupArn").optionalString();
      const asset = base(record, id, "security_group", context, arn);
      return {
        ...asset,
        name: asset.name ?? record.at("GroupName").optionalString(),
        attributes: attributes({
          vpc: record.at("VpcId").optionalString(),
          group_name: record.at("GroupName").optionalString(),
          description: record.at("Description").optionalString(),
        }),
      };
    });
}

/** Parses `aws s3api list-buckets`; ids are bucket ARNs, which are global. */
export function parseBuckets(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("Buckets")
    .list()
    .map((item) => {
      const name = item.object().at("Name").string();
      const record = item.inRecord(name);
      return {
        id: `arn:aws:s3:::${name}`,
        provider: "aws" as const,
        kind: "bucket",
        account: context.account ?? UNKNOWN,
        region: record.at("BucketRegion").optionalString() ?? context.region ?? UNKNOWN,
        name,
        addresses: { private: [], public: [] },
        attributes: attributes({ created: record.at("CreationDate").optionalString() }),
        tags: {},
      };
    });
}
