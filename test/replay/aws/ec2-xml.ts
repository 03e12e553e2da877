import { escapeXml as x } from "../server.ts";
import type {
  AwsTag,
  Ec2Instance,
  Ec2NetworkInterface,
  Ec2SecurityGroup,
  Ec2Subnet,
  Ec2Vpc,
  Ec2VpcEndpoint,
} from "./world.ts";

/**
 * Serialisers from the replay world to EC2's Query API XML: lists are `…Set` elements of
 * `<item>`s and field names are lower camelCase, as in the EC2 API reference.
 */

const el = (name: string, value: string | number | boolean | undefined): string =>
  value === undefined ? "" : `<${name}>${x(String(value))}</${name}>`;

const items = <T>(name: string, values: readonly T[], each: (value: T) => string): string =>
  `<${name}>${values.map((value) => `<item>${each(value)}</item>`).join("")}</${name}>`;

export const tagSet = (tags: readonly AwsTag[]): string =>
  items("tagSet", tags, (tag) => el("key", tag.key) + el("value", tag.value));

const groupSet = (ids: readonly string[]): string =>
  items("groupSet", ids, (id) => el("groupId", id) + el("groupName", id));

const STATE_CODES: Record<Ec2Instance["state"], number> = {
  pending: 0,
  running: 16,
  stopping: 64,
  stopped: 80,
  terminated: 48,
};

export function instanceXml(instance: Ec2Instance): string {
  return (
    el("instanceId", instance.instanceId) +
    el("imageId", instance.imageId) +
    `<instanceState>${el("code", STATE_CODES[instance.state])}${el("name", instance.state)}</instanceState>` +
    el("instanceType", instance.instanceType) +
    `<placement>${el("availabilityZone", instance.availabilityZone)}</placement>` +
    el("subnetId", instance.subnetId) +
    el("vpcId", instance.vpcId) +
    el("privateIpAddress", instance.privateIpAddress) +
    el("ipAddress", instance.publicIpAddress) +
    el("platformDetails", instance.platformDetails) +
    groupSet(instance.securityGroupIds) +
    items("networkInterfaceSet", instance.networkInterfaceIds, (id) =>
      el("networkInterfaceId", id),
    ) +
    `<metadataOptions>${el("state", "applied")}${el("httpTokens", instance.httpTokens)}` +
    `${el("httpEndpoint", "enabled")}${el("httpPutResponseHopLimit", 1)}</metadataOptions>` +
    tagSet(instance.tags)
  );
}

export function networkInterfaceXml(eni: Ec2NetworkInterface): string {
  const association = eni.publicIp
    ? `<association>${el("publicIp", eni.publicIp)}</association>`
    : "";
  return (
    el("networkInterfaceId", eni.networkInterfaceId) +
    el("subnetId", eni.subnetId) +
    el("vpcId", eni.vpcId) +
    el("availabilityZone", eni.availabilityZone) +
    el("description", eni.description) +
    el("interfaceType", eni.interfaceType) +
    el("status", eni.status) +
    el("privateIpAddress", eni.privateIpAddresses[0]) +
    association +
    items("privateIpAddressesSet", eni.privateIpAddresses, (ip) => el("privateIpAddress", ip)) +
    items("ipv6AddressesSet", eni.ipv6Addresses, (ip) => el("ipv6Address", ip)) +
    groupSet(eni.securityGroupIds) +
    (eni.attachedInstanceId
      ? `<attachment>${el("instanceId", eni.attachedInstanceId)}${el("status", "attached")}</attachment>`
      : "") +
    tagSet(eni.tags)
  );
}

export const vpcXml = (vpc: Ec2Vpc): string =>
  el("vpcId", vpc.vpcId) +
  el("cidrBlock", vpc.cidrBlock) +
  el("state", "available") +
  el("isDefault", vpc.isDefault) +
  tagSet(vpc.tags);

export const subnetXml = (subnet: Ec2Subnet): string =>
  el("subnetId", subnet.subnetId) +
  el("vpcId", subnet.vpcId) +
  el("cidrBlock", subnet.cidrBlock) +
  el("availabilityZone", subnet.availabilityZone) +
  el("state", "available") +
  tagSet(subnet.tags);

export const securityGroupXml = (group: Ec2SecurityGroup): string =>
  el("groupId", group.groupId) +
  el("groupName", group.groupName) +
  el("groupDescription", group.description) +
  el("vpcId", group.vpcId) +
  tagSet(group.tags);

export const vpcEndpointXml = (endpoint: Ec2VpcEndpoint): string =>
  el("vpcEndpointId", endpoint.vpcEndpointId) +
  el("vpcEndpointType", endpoint.vpcEndpointType) +
  el("vpcId", endpoint.vpcId) +
  el("serviceName", endpoint.serviceName) +
  el("state", endpoint.state) +
  tagSet(endpoint.tags);

/** Wraps a list page in its response element, with `nextToken` when more pages follow. */
export function listResponse(
  action: string,
  setName: string,
  body: string[],
  next: string | undefined,
): string {
  return (
    `<${action}Response xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">` +
    el("requestId", crypto.randomUUID()) +
    `<${setName}>${body.map((item) => `<item>${item}</item>`).join("")}</${setName}>` +
    el("nextToken", next) +
    `</${action}Response>`
  );
}

/** An EC2 error in its `<Response><Errors>` envelope. */
export function ec2ErrorXml(code: string, message: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error>${el("Code", code)}` +
    `${el("Message", message)}</Error></Errors>${el("RequestID", crypto.randomUUID())}</Response>`
  );
}
