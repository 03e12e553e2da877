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

type Lister = (region: AwsRegion, ownerId: string) => { setName: string; items: string[] };

/** Every Describe* action the replay serves: the list element's name and its items. */
const LISTERS: Record<string, Lister> = {
  DescribeInstances: (region, ownerId) => ({
    setName: "reservationSet",
    items: region.instances.map(
      (instance) =>
        `<reservationId>r-${instance.instanceId.slice(2)}</reservationId><ownerId>${ownerId}</ownerId>` +
        `<instancesSet><item>${instanceXml(instance)}</item></instancesSet>`,
    ),
  }),
  DescribeNetworkInterfaces: (region) => ({
    setName: "networkInterfaceSet",
    items: region.networkInterfaces.map(networkInterfaceXml),
  }),
  DescribeVpcs: (region) => ({ setName: "vpcSet", items: region.vpcs.map(vpcXml) }),
  DescribeSubnets: (region) => ({ setName: "subnetSet", items: region.subnets.map(subnetXml) }),
  DescribeSecurityGroups: (region) => ({
    setName: "securityGroupInfo",
    items: region.securityGroups.map(securityGroupXml),
  }),
  DescribeVpcEndpoints: (region) => ({
    setName: "vpcEndpointSet",
    items: region.vpcEndpoints.map(vpcEndpointXml),
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
  const lister = LISTERS[action];
  if (!lister) return xml(400, ec2ErrorXml("InvalidAction", `unknown action ${action}`));

  const { setName, items } = lister(region, session.account.accountId);
  const requested = Number.parseInt(params.get("MaxResults") ?? "", 10);
  const size = Number.isFinite(requested) ? Math.min(requested, world.pageSize) : world.pageSize;
  const result = page(items, params.get("NextToken"), size);
  return xml(200, listResponse(action, setName, result.items, result.next));
}

function describeRegions(session: ReplaySession): ReplayResponse {
  const items = Object.keys(session.account.regions).map(
    (name) =>
      `<regionName>${name}</regionName><regionEndpoint>ec2.${name}.amazonaws.com</regionEndpoint>` +
      "<optInStatus>opt-in-not-required</optInStatus>",
  );
  return xml(200, listResponse("DescribeRegions", "regionInfo", items, undefined));
}
