import {
  type AwsAccount,
  type AwsReplay,
  type AwsWorld,
  emptyRegion,
  startAwsReplay,
} from "../../../test/replay/aws/index.ts";
import type { AwsConnection, AwsRoleTarget } from "../../src/server/discovery/aws/index.ts";

/** The control plane's own key as the replay knows it. */
export const CALLER = {
  accessKeyId: "AKIAREPLAYCALLER0001",
  secretAccessKey: "replay-secret-key-not-a-real-one",
  arn: "arn:aws:iam::000000000000:user/ringfence-discovery",
};

/** A small account with one bypassable bucket, one closed bucket and an IMDSv1 instance. */
export function demoAccount(): AwsAccount {
  const east = emptyRegion();
  east.vpcs.push({ vpcId: "vpc-1", cidrBlock: "10.0.0.0/16", isDefault: false, tags: [] });
  east.subnets.push({
    subnetId: "subnet-1",
    vpcId: "vpc-1",
    cidrBlock: "10.0.1.0/24",
    availabilityZone: "us-east-1a",
    tags: [],
  });
  east.securityGroups.push({
    groupId: "sg-1",
    groupName: "web",
    vpcId: "vpc-1",
    description: "web",
    tags: [],
  });
  east.vpcEndpoints.push({
    vpcEndpointId: "vpce-gw1",
    vpcEndpointType: "Gateway",
    vpcId: "vpc-1",
    serviceName: "com.amazonaws.us-east-1.s3",
    state: "available",
    tags: [],
  });
  east.instances.push({
    instanceId: "i-web1",
    imageId: "ami-1",
    instanceType: "t3.small",
    state: "running",
    platformDetails: "Linux/UNIX",
    availabilityZone: "us-east-1a",
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    privateIpAddress: "10.0.1.10",
    publicIpAddress: "203.0.113.10",
    securityGroupIds: ["sg-1"],
    networkInterfaceIds: ["eni-1"],
    httpTokens: "optional",
    tags: [
      { key: "app", value: "web" },
      { key: "Name", value: "web-1" },
    ],
  });
  east.networkInterfaces.push({
    networkInterfaceId: "eni-1",
    vpcId: "vpc-1",
    subnetId: "subnet-1",
    availabilityZone: "us-east-1a",
    interfaceType: "interface",
    status: "in-use",
    privateIpAddresses: ["10.0.1.10"],
    publicIp: "203.0.113.10",
    ipv6Addresses: [],
    attachedInstanceId: "i-web1",
    securityGroupIds: ["sg-1"],
    description: "",
    tags: [{ key: "app", value: "web" }],
  });
  const west = emptyRegion();
  west.vpcs.push({
    vpcId: "vpc-2",
    cidrBlock: "10.1.0.0/16",
    isDefault: true,
    tags: [{ key: "env", value: "dev" }],
  });
  return {
    accountId: "111122223333",
    roleName: "RingfenceReadOnly",
    externalId: "rf-ext-0123456789abcdef",
    deniedActions: [],
    regions: { "us-east-1": east, "eu-west-1": west },
    buckets: [
      {
        name: "records-open",
        region: "us-east-1",
        creationDate: "2024-01-01T00:00:00.000Z",
        tags: [{ key: "data", value: "pii" }],
      },
      {
        name: "records-closed",
        region: "eu-west-1",
        creationDate: "2024-01-01T00:00:00.000Z",
        tags: [],
        policy: JSON.stringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "OnlyGateway",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: ["arn:aws:s3:::records-closed", "arn:aws:s3:::records-closed/*"],
              Condition: { StringNotEquals: { "aws:SourceVpce": "vpce-gw1" } },
            },
          ],
        }),
        publicAccessBlock: {
          blockPublicAcls: true,
          ignorePublicAcls: true,
          blockPublicPolicy: true,
          restrictPublicBuckets: true,
        },
      },
    ],
  };
}

/** A world around the given accounts, with small pages so pagination is exercised. */
export function world(accounts: AwsAccount[], pageSize = 2): AwsWorld {
  return { caller: CALLER, accounts, pageSize, throttle: {} };
}

/** A resolver over a fixed table, so no test ever asks the system's DNS. */
export function tableResolver(table: Record<string, string[]> = {}) {
  return async (name: string) => {
    const answer = table[name];
    if (!answer) throw new Error(`no test record for ${name}`);
    return answer;
  };
}

/** The guard settings of the tests: a fixed resolver, and the replay's loopback allowlisted. */
export const testOutbound = (table?: Record<string, string[]>) => ({
  resolver: tableResolver(table),
  allow: ["127.0.0.1"],
});

export function connection(replay: AwsReplay, maxAttempts = 4): AwsConnection {
  return {
    credentials: { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER.secretAccessKey },
    outbound: testOutbound(),
    endpoint: replay.url,
    maxAttempts,
  };
}

export function target(account: AwsAccount, externalId = account.externalId): AwsRoleTarget {
  return {
    accountId: account.accountId,
    roleArn: `arn:aws:iam::${account.accountId}:role/${account.roleName}`,
    externalId,
  };
}

export { startAwsReplay };
