import { page, type ReplayResponse, xml } from "../server.ts";
import {
  ec2ErrorXml,
  instanceXml,
  listResponse,
  networkInterfaceXml,
  securityGroupXml,
  subnetXml,
  vpcEndpointXml,
  vpcXml,
} from "./ec2-xml.ts";
import type { ReplaySession } from "./session.ts";
import type { AwsRegion, AwsWorld } from "./world.ts";

/** One Describe* action: the list element's name, the region's items, and how one is written. */
interface Lister<T> {
  setName: string;
  items: (region: AwsRegion) => readonly T[];
  write: (item: T, ownerId: string) => string;
}

const lister = <T>(value: Lister<T>): Lister<unknown> => value as Lister<unknown>;

/**
 * Every Describe* action the replay serves. A page is cut before its items are written, so a
 * large region costs one serialisation per item however many pages it takes.
 */
const LISTERS: Record<string, Lister<unknown>> = {
  DescribeInstances: lister({
    setName: "reservationSet",
    items: (region) => region.instances,
    write: (instance, ownerId) =>
      `<reservationId>r-${instance.instanceId.slice(2)}</reservationId><ownerId>${ownerId}</ownerId>` +
      `<instancesSet><item>${instanceXml(instance)}</item></instancesSet>`,
  }),
  DescribeNetworkInterfaces: lister({
    setName: "networkInterfaceSet",
    items: (region) => region.networkInterfaces,
    write: networkInterfaceXml,
  }),
  DescribeVpcs: lister({ setName: "vpcSet", items: (region) => region.vpcs, write: vpcXml }),
  DescribeSubnets: lister({
    setName: "subnetSet",
    items: (region) => region.subnets,
    write: subnetXml,
  }),
  DescribeSecurityGroups: lister({
    setName: "securityGroupInfo",
    items: (region) => region.securityGroups,
    write: securityGroupXml,
  }),
  DescribeVpcEndpoints: lister({
    setName: "vpcEndpointSet",
    items: (region) => region.vpcEndpoints,
    write: vpcEndpointXml,
  }),
};

/** Answers an EC2 Query API call made with a role session's temporary credentials. */
export function handleEc2(
  world: AwsWorld,
  session: ReplaySession,
  regionName: string,
  params: URLSearchParams,
): ReplayResponse {
  const action = params.get("Action") ?? "";
  if (session.account.deniedActions.includes(`ec2:${action}`)) {
    const message = `You are not authorized to perform this operation. User: ${session.assumedRoleArn} is not authorized to perform: ec2:${action} because no identity-based policy allows the ec2:${action} action`;
    return xml(403, ec2ErrorXml("UnauthorizedOperation", message));
  }

  const throttled = world.throttle[action] ?? 0;
  if (throttled > 0) {
    world.throttle[action] = throttled - 1;
    return xml(503, ec2ErrorXml("RequestLimitExceeded", "Request limit exceeded."));
  }
  if (action === "DescribeRegions") return describeRegions(session);

  const region = session.account.regions[regionName];
  if (!region) return xml(401, ec2ErrorXml("AuthFailure", `region ${regionName} is not enabled`));
  if (region.failure) {
    return xml(region.failure.status, ec2ErrorXml(region.failure.code, region.failure.message));
  }
  const listing = LISTERS[action];
  if (!listing) return xml(400, ec2ErrorXml("InvalidAction", `unknown action ${action}`));

  const requested = Number.parseInt(params.get("MaxResults") ?? "", 10);
  const size = Number.isFinite(requested) ? Math.min(requested, world.pageSize) : world.pageSize;
  const result = page(listing.items(region), params.get("NextToken"), size);
  const ownerId = session.account.accountId;
  const items = result.items.map((item) => listing.write(item, ownerId));
  return xml(200, listResponse(action, listing.setName, items, result.next));
}

function describeRegions(session: ReplaySession): ReplayResponse {
  const items = Object.keys(session.account.regions).map(
    (name) =>
      `<regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint>` +
      "<optInStatus>opt-in-not-required</optInStatus>",
  );
  return xml(200, listResponse("DescribeRegions", "regionInfo", items, undefined));
}
