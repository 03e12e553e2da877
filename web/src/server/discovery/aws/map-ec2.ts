import type {
  Instance,
  NetworkInterface,
  SecurityGroup,
  Subnet,
  Tag,
  Vpc,
  VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { Asset } from "@ringfence/engine/documents";
import type { Ec2RegionData } from "./ec2.ts";

/** Where an asset lives: the account and region every ARN and asset record names. */
export interface AwsPlace {
  accountId: string;
  region: string;
}

type Attributes = Asset["attributes"];

/** Tags as a plain record; AWS allows no duplicate keys, so nothing is lost. */
export function tagRecord(tags: readonly Tag[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const tag of tags ?? []) if (tag.Key !== undefined) out[tag.Key] = tag.Value ?? "";
  return out;
}

/** Drops undefined and empty values so the inventory carries only what the cloud said. */
function compact(values: Record<string, string | string[] | undefined>): Attributes {
  const out: Attributes = {};
  for (const [key, value] of Object.entries(values)) {
    if (value === undefined || value === "" || (Array.isArray(value) && value.length === 0))
      continue;
    out[key] = value;
  }
  return out;
}

const arn = (place: AwsPlace, resource: string): string =>
  `arn:aws:ec2:${place.region}:${place.accountId}:${resource}`;

function base(place: AwsPlace, kind: string, id: string, tags: readonly Tag[] | undefined) {
  const record = tagRecord(tags);
  return {
    id: arn(place, `${kind.replaceAll("_", "-")}/${id}`),
    provider: "aws" as const,
    kind,
    account: place.accountId,
    region: place.region,
    ...(record.Name ? { name: record.Name } : {}),
    tags: record,
  };
}

/** The operating-system family from EC2's PlatformDetails (`Linux/UNIX`, `Windows`, …). */
export function osFamily(platformDetails: string | undefined): string | undefined {
  if (!platformDetails) return undefined;
  if (/windows/i.test(platformDetails)) return "windows";
  if (/linux|unix|red hat|suse|ubuntu/i.test(platformDetails)) return "linux";
  return platformDetails.toLowerCase();
}

function instanceAsset(place: AwsPlace, instance: Instance): Asset | undefined {
  if (!instance.InstanceId) return undefined;
  return {
    ...base(place, "instance", instance.InstanceId, instance.Tags),
    ...(instance.Placement?.AvailabilityZone ? { zone: instance.Placement.AvailabilityZone } : {}),
    ...(instance.State?.Name ? { state: instance.State.Name } : {}),
    addresses: {
      private: instance.PrivateIpAddress ? [instance.PrivateIpAddress] : [],
      public: instance.PublicIpAddress ? [instance.PublicIpAddress] : [],
    },
    attributes: compact({
      instance_id: instance.InstanceId,
      instance_type: instance.InstanceType,
      vpc: instance.VpcId,
      subnet: instance.SubnetId,
      security_groups: (instance.SecurityGroups ?? []).flatMap((g) =>
        g.GroupId ? [g.GroupId] : [],
      ),
      image: instance.ImageId,
      platform: instance.PlatformDetails,
      os: osFamily(instance.PlatformDetails),
      "imds.http_tokens": instance.MetadataOptions?.HttpTokens,
    }),
  };
}

function interfaceAsset(place: AwsPlace, eni: NetworkInterface): Asset | undefined {
  if (!eni.NetworkInterfaceId) return undefined;
  const privates = (eni.PrivateIpAddresses ?? []).flatMap((a) =>
    a.PrivateIpAddress ? [a.PrivateIpAddress] : [],
  );
  const ipv6 = (eni.Ipv6Addresses ?? []).flatMap((a) => (a.Ipv6Address ? [a.Ipv6Address] : []));
  const publicIp = eni.Association?.PublicIp;
  return {
    ...base(place, "network_interface", eni.NetworkInterfaceId, eni.TagSet),
    ...(eni.AvailabilityZone ? { zone: eni.AvailabilityZone } : {}),
    ...(eni.Status ? { state: eni.Status } : {}),
    addresses: { private: [...privates, ...ipv6], public: publicIp ? [publicIp] : [] },
    attributes: compact({
      vpc: eni.VpcId,
      subnet: eni.SubnetId,
      instance_id: eni.Attachment?.InstanceId,
      security_groups: (eni.Groups ?? []).flatMap((g) => (g.GroupId ? [g.GroupId] : [])),
      interface_type: eni.InterfaceType,
    }),
  };
}

function networkAsset(
  place: AwsPlace,
  kind: "vpc" | "subnet" | "security_group" | "vpc_endpoint",
  id: string | undefined,
  tags: readonly Tag[] | undefined,
  attributes: Record<string, string | undefined>,
): Asset | undefined {
  if (!id) return undefined;
  return {
    ...base(place, kind, id, tags),
    addresses: { private: [], public: [] },
    attributes: compact(attributes),
  };
}

const vpcAsset = (place: AwsPlace, vpc: Vpc) =>
  networkAsset(place, "vpc", vpc.VpcId, vpc.Tags, { vpc: vpc.VpcId, cidr: vpc.CidrBlock });

const subnetAsset = (place: AwsPlace, subnet: Subnet) =>
  networkAsset(place, "subnet", subnet.SubnetId, subnet.Tags, {
    vpc: subnet.VpcId,
    subnet: subnet.SubnetId,
    cidr: subnet.CidrBlock,
  });

function groupAsset(place: AwsPlace, group: SecurityGroup): Asset | undefined {
  const asset = networkAsset(place, "security_group", group.GroupId, group.Tags, {
    vpc: group.VpcId,
    group_name: group.GroupName,
  });
  return asset && !asset.name && group.GroupName ? { ...asset, name: group.GroupName } : asset;
}

function endpointAsset(place: AwsPlace, endpoint: VpcEndpoint): Asset | undefined {
  return networkAsset(place, "vpc_endpoint", endpoint.VpcEndpointId, endpoint.Tags, {
    vpc: endpoint.VpcId,
    endpoint: endpoint.ServiceName,
    endpoint_type: endpoint.VpcEndpointType,
  });
}

/** Maps one region's EC2 data to canonical assets, skipping records that carry no id. */
export function mapEc2Region(place: AwsPlace, data: Ec2RegionData): Asset[] {
  const assets = [
    ...data.instances.map((item) => instanceAsset(place, item)),
    ...data.networkInterfaces.map((item) => interfaceAsset(place, item)),
    ...data.vpcs.map((item) => vpcAsset(place, item)),
    ...data.subnets.map((item) => subnetAsset(place, item)),
    ...data.securityGroups.map((item) => groupAsset(place, item)),
    ...data.vpcEndpoints.map((item) => endpointAsset(place, item)),
  ];
  return assets.filter((asset): asset is Asset => asset !== undefined);
}
