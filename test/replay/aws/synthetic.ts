import { type AwsAccount, type AwsRegion, type Ec2Instance, emptyRegion } from "./world.ts";

/** How large a generated account is. Every id and address is derived from the indices. */
export interface SyntheticOptions {
  accountId: string;
  externalId: string;
  regions: string[];
  instancesPerRegion: number;
  /** Instances per subnet; each subnet is a /24, so at most 250. */
  instancesPerSubnet?: number;
}

const hex = (value: number, width: number): string => value.toString(16).padStart(width, "0");

/**
 * Builds a deterministic account: one VPC per region, /24 subnets, one security group, and
 * instances each with one interface. Two calls with the same options give equal accounts, which
 * is what lets a benchmark re-sync and expect an empty diff.
 */
export function syntheticAwsAccount(options: SyntheticOptions): AwsAccount {
  const regions: Record<string, AwsRegion> = {};
  options.regions.forEach((name, regionIndex) => {
    regions[name] = syntheticRegion(name, regionIndex, options);
  });
  return {
    accountId: options.accountId,
    roleName: "RingfenceReadOnly",
    externalId: options.externalId,
    deniedActions: [],
    regions,
    buckets: [],
  };
}

function syntheticRegion(name: string, regionIndex: number, options: SyntheticOptions): AwsRegion {
  const region = emptyRegion();
  const perSubnet = Math.min(options.instancesPerSubnet ?? 200, 250);
  const vpcId = `vpc-${hex(regionIndex, 17)}`;
  const groupId = `sg-${hex(regionIndex, 17)}`;
  region.vpcs.push({ vpcId, cidrBlock: `10.${regionIndex}.0.0/16`, isDefault: false, tags: [] });
  region.securityGroups.push({ groupId, groupName: "app", vpcId, description: "app", tags: [] });

  for (let index = 0; index < options.instancesPerRegion; index++) {
    const subnetIndex = Math.floor(index / perSubnet);
    const subnetId = `subnet-${hex(regionIndex * 4096 + subnetIndex, 17)}`;
    if (index % perSubnet === 0) {
      region.subnets.push({
        subnetId,
        vpcId,
        cidrBlock: `10.${regionIndex}.${subnetIndex}.0/24`,
        availabilityZone: `${name}a`,
        tags: [],
      });
    }
    const ip = `10.${regionIndex}.${subnetIndex}.${(index % perSubnet) + 4}`;
    region.instances.push(instance(name, regionIndex, index, { vpcId, subnetId, groupId, ip }));
  }
  return region;
}

function instance(
  region: string,
  regionIndex: number,
  index: number,
  place: { vpcId: string; subnetId: string; groupId: string; ip: string },
): Ec2Instance {
  const suffix = hex(regionIndex * 1_000_000 + index, 17);
  return {
    instanceId: `i-${suffix}`,
    imageId: "ami-0abcdef1234567890",
    instanceType: "t3.micro",
    state: "running",
    platformDetails: "Linux/UNIX",
    availabilityZone: `${region}a`,
    vpcId: place.vpcId,
    subnetId: place.subnetId,
    privateIpAddress: place.ip,
    securityGroupIds: [place.groupId],
    networkInterfaceIds: [`eni-${suffix}`],
    httpTokens: "required",
    tags: [
      { key: "app", value: index % 3 === 0 ? "web" : "worker" },
      { key: "env", value: "prod" },
    ],
  };
}
