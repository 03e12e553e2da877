/**
 * `aws ec2 describe-instances` and `aws ec2 describe-network-interfaces` (JSON output), as
 * documented in the EC2 API reference (the CLI prints the API response unchanged).
 */
import type { Asset } from "../documents/index.ts";
import { attributes, awsRegionOfZone, type ParseContext, UNKNOWN, unique } from "./asset.ts";
import type { Reader } from "./reader.ts";

/** Private and public addresses of an instance's or interface's `PrivateIpAddresses`. */
function interfaceAddresses(eni: Reader): { private: string[]; public: string[] } {
  const entries = eni.at("PrivateIpAddresses").list(true);
  const ipv6 = eni.at("Ipv6Addresses").list(true);
  return {
    private: [
      ...entries.map((entry) => entry.at("PrivateIpAddress").optionalIp(4)),
      ...ipv6.map((entry) => entry.at("Ipv6Address").optionalIp(6)),
    ].filter((ip): ip is string => ip !== undefined),
    public: entries
      .map((entry) => entry.at("Association").at("PublicIp").optionalIp(4))
      .filter((ip): ip is string => ip !== undefined),
  };
}

function groupIds(groups: Reader): string[] {
  return groups.list(true).map((group) => group.at("GroupId").string());
}

function ec2Instance(item: Reader, account: string, context: ParseContext): Asset {
  const id = item.object().at("InstanceId").string();
  const record = item.inRecord(id);
  const zone = record.at("Placement").at("AvailabilityZone").optionalString();
  const enis = record.at("NetworkInterfaces").list(true).map(interfaceAddresses);
  const tags = record.at("Tags").awsTags();
  const platform = record.at("Platform").optionalString();

  return {
    id,
    provider: "aws",
    kind: "instance",
    account,
    region: zone ? awsRegionOfZone(zone) : (context.region ?? UNKNOWN),
    ...(zone ? { zone } : {}),
    state: record.at("State").at("Name").optionalString(),
    name: tags.Name,
    addresses: {
      private: unique([
        record.at("PrivateIpAddress").optionalIp(4),
        ...enis.flatMap((e) => e.private),
      ]),
      public: unique([
        record.at("PublicIpAddress").optionalIp(4),
        ...enis.flatMap((e) => e.public),
      ]),
    },
    attributes: attributes({
      instance_id: id,
      instance_type: record.at("InstanceType").optionalString(),
      vpc: record.at("VpcId").optionalString(),
      subnet: record.at("SubnetId").optionalString(),
      security_groups: groupIds(record.at("SecurityGroups")),
      image: record.at("ImageId").optionalString(),
      platform: record.at("PlatformDetails").optionalString(),
      // KNOWN-GAP: describe-instances says nothing of the OS version, so `os.version` stays
      // unset; SSM inventory or the AMI's description would supply it.
      os: platform === "windows" ? "windows" : "linux",
      "imds.http_tokens": record.at("MetadataOptions").at("HttpTokens").optionalString(),
    }),
    tags,
  };
}

/** Parses `aws ec2 describe-instances`. */
export function parseEc2Instances(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("Reservations")
    .list()
    .flatMap((reservation) => {
      const owner = reservation.object().at("OwnerId").optionalString();
      const account = owner ?? context.account ?? UNKNOWN;
      return reservation
        .at("Instances")
        .list()
        .map((item) => ec2Instance(item, account, context));
    });
}

function networkInterface(item: Reader, context: ParseContext): Asset {
  const id = item.object().at("NetworkInterfaceId").string();
  const record = item.inRecord(id);
  const zone = record.at("AvailabilityZone").optionalString();
  const own = interfaceAddresses(record);
  const tags = record.at("TagSet").awsTags();

  return {
    id,
    provider: "aws",
    kind: "network_interface",
    account: record.at("OwnerId").optionalString() ?? context.account ?? UNKNOWN,
    region: zone ? awsRegionOfZone(zone) : (context.region ?? UNKNOWN),
    ...(zone ? { zone } : {}),
    state: record.at("Status").optionalString(),
    name: tags.Name,
    addresses: {
      private: unique([record.at("PrivateIpAddress").optionalIp(4), ...own.private]),
      public: unique([record.at("Association").at("PublicIp").optionalIp(4), ...own.public]),
    },
    attributes: attributes({
      vpc: record.at("VpcId").optionalString(),
      subnet: record.at("SubnetId").optionalString(),
      security_groups: groupIds(record.at("Groups")),
      instance_id: record.at("Attachment").at("InstanceId").optionalString(),
      interface_type: record.at("InterfaceType").optionalString(),
    }),
    tags,
  };
}

/** Parses `aws ec2 describe-network-interfaces`. */
export function parseEc2NetworkInterfaces(root: Reader, context: ParseContext): Asset[] {
  return root
    .object()
    .at("NetworkInterfaces")
    .list()
    .map((item) => networkInterface(item, context));
}
