/**
 * The state an AWS replay server answers from. Field names follow the EC2 and S3 wire formats
 * (camelCase as in EC2's XML) so the serialisers stay a direct transcription of them.
 */

/** A key-value tag as EC2 and S3 carry it. */
export interface AwsTag {
  key: string;
  value: string;
}

export interface Ec2Instance {
  instanceId: string;
  imageId: string;
  instanceType: string;
  state: "pending" | "running" | "stopping" | "stopped" | "terminated";
  platformDetails: string;
  availabilityZone: string;
  vpcId: string;
  subnetId: string;
  privateIpAddress: string;
  publicIpAddress?: string;
  securityGroupIds: string[];
  networkInterfaceIds: string[];
  httpTokens: "optional" | "required";
  tags: AwsTag[];
}

export interface Ec2NetworkInterface {
  networkInterfaceId: string;
  vpcId: string;
  subnetId: string;
  availabilityZone: string;
  interfaceType: string;
  status: string;
  privateIpAddresses: string[];
  publicIp?: string;
  ipv6Addresses: string[];
  attachedInstanceId?: string;
  securityGroupIds: string[];
  description: string;
  tags: AwsTag[];
}

export interface Ec2Vpc {
  vpcId: string;
  cidrBlock: string;
  isDefault: boolean;
  tags: AwsTag[];
}

export interface Ec2Subnet {
  subnetId: string;
  vpcId: string;
  cidrBlock: string;
  availabilityZone: string;
  tags: AwsTag[];
}

export interface Ec2SecurityGroup {
  groupId: string;
  groupName: string;
  vpcId: string;
  description: string;
  tags: AwsTag[];
}

export interface Ec2VpcEndpoint {
  vpcEndpointId: string;
  vpcEndpointType: "Gateway" | "Interface" | "GatewayLoadBalancer";
  vpcId: string;
  serviceName: string;
  state: string;
  tags: AwsTag[];
}

/** One region of one account. `failure` makes every EC2 call in the region fail with it. */
export interface AwsRegion {
  instances: Ec2Instance[];
  networkInterfaces: Ec2NetworkInterface[];
  vpcs: Ec2Vpc[];
  subnets: Ec2Subnet[];
  securityGroups: Ec2SecurityGroup[];
  vpcEndpoints: Ec2VpcEndpoint[];
  failure?: { status: number; code: string; message: string };
}

export interface S3Bucket {
  name: string;
  region: string;
  creationDate: string;
  tags: AwsTag[];
  /** The bucket policy document as the customer wrote it (JSON text). */
  policy?: string;
  publicAccessBlock?: {
    blockPublicAcls: boolean;
    ignorePublicAcls: boolean;
    blockPublicPolicy: boolean;
    restrictPublicBuckets: boolean;
  };
}

/** A customer account: the role Ringfence assumes, and what the role may not do. */
export interface AwsAccount {
  accountId: string;
  roleName: string;
  externalId: string;
  /** IAM actions the role lacks, such as `ec2:DescribeVpcEndpoints`. */
  deniedActions: string[];
  regions: Record<string, AwsRegion>;
  buckets: S3Bucket[];
}

/** The caller's own long-lived key: the identity the control plane assumes roles from. */
export interface AwsCaller {
  accessKeyId: string;
  secretAccessKey: string;
  arn: string;
}

export interface AwsWorld {
  caller: AwsCaller;
  accounts: AwsAccount[];
  /** Page size the EC2 Describe* calls use when the request names none or a larger one. */
  pageSize: number;
  /** Remaining `RequestLimitExceeded` answers per EC2 action, consumed one per call. */
  throttle: Record<string, number>;
}

/** An empty region, for building worlds by hand. */
export function emptyRegion(): AwsRegion {
  return {
    instances: [],
    networkInterfaces: [],
    vpcs: [],
    subnets: [],
    securityGroups: [],
    vpcEndpoints: [],
  };
}
