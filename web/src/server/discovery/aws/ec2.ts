import {
  type EC2Client,
  type Instance,
  type NetworkInterface,
  paginateDescribeInstances,
  paginateDescribeNetworkInterfaces,
  paginateDescribeSecurityGroups,
  paginateDescribeSubnets,
  paginateDescribeVpcEndpoints,
  paginateDescribeVpcs,
  type SecurityGroup,
  type Subnet,
  type Vpc,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";

/** Everything one region's EC2 API returned, before mapping to canonical assets. */
export interface Ec2RegionData {
  instances: Instance[];
  networkInterfaces: NetworkInterface[];
  vpcs: Vpc[];
  subnets: Subnet[];
  securityGroups: SecurityGroup[];
  vpcEndpoints: VpcEndpoint[];
}

/** The largest page EC2's Describe calls allow; fewer round trips for large accounts. */
const PAGE_SIZE = 1000;

async function collect<P, T>(pages: AsyncIterable<P>, pick: (page: P) => T[] | undefined) {
  const out: T[] = [];
  for await (const page of pages) out.push(...(pick(page) ?? []));
  return out;
}

/**
 * Reads one region's network inventory, following every NextToken. Calls run one after another
 * so a single region never holds more than one request against the account's API rate.
 */
export async function readEc2Region(client: EC2Client): Promise<Ec2RegionData> {
  const config = { client, pageSize: PAGE_SIZE };
  const reservations = await collect(
    paginateDescribeInstances(config, {}),
    (page) => page.Reservations,
  );
  return {
    instances: reservations.flatMap((reservation) => reservation.Instances ?? []),
    networkInterfaces: await collect(
      paginateDescribeNetworkInterfaces(config, {}),
      (page) => page.NetworkInterfaces,
    ),
    vpcs: await collect(paginateDescribeVpcs(config, {}), (page) => page.Vpcs),
    subnets: await collect(paginateDescribeSubnets(config, {}), (page) => page.Subnets),
    securityGroups: await collect(
      paginateDescribeSecurityGroups(config, {}),
      (page) => page.SecurityGroups,
    ),
    vpcEndpoints: await collect(
      paginateDescribeVpcEndpoints(config, {}),
      (page) => page.VpcEndpoints,
    ),
  };
}
