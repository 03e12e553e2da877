import type { Asset } from "@ringfence/engine/documents";

/** Where the organisation's gateways are: what a closed bucket must insist requests come from. */
export interface GatewayPlacement {
  /** VPC endpoint ids the AWS gateways reach S3 through. */
  awsVpcEndpointIds: string[];
  /** Public egress addresses of the gateways, for stores that filter by source address. */
  egressIps: string[];
  /** Azure subnet resource ids the gateways run in. */
  azureSubnetIds: string[];
}

/** A posture finding with the configuration fragment that would close it. */
export interface PostureFinding {
  assetId: string;
  kind: "bucket_bypasses_gateway" | "storage_bypasses_gateway" | "imds_v1_allowed";
  severity: "high" | "medium";
  message: string;
  /** The fix: a full bucket policy, a storage-firewall patch or an EC2 metadata setting. */
  fix: {
    format: "aws-bucket-policy" | "azure-network-acls" | "aws-metadata-options";
    document: unknown;
  };
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** Parses the bucket's current policy so the fix keeps every statement the customer wrote. */
function existingStatements(asset: Asset): unknown[] {
  const text = asset.attributes["access.policy"];
  if (typeof text !== "string") return [];
  try {
    const parsed = JSON.parse(text) as { Statement?: unknown };
    return Array.isArray(parsed.Statement)
      ? parsed.Statement
      : parsed.Statement
        ? [parsed.Statement]
        : [];
  } catch {
    return [];
  }
}

/**
 * An S3 bucket is closed when every request is denied unless it arrives through one of the
 * gateways' VPC endpoints or from their egress addresses; any other restriction (or none) leaves
 * a path around the gateway.
 */
function bucketFinding(asset: Asset, gateways: GatewayPlacement): PostureFinding | undefined {
  const vpce = list(asset.attributes["access.vpce"]);
  const ips = list(asset.attributes["access.source_ip"]);
  const closedByVpce =
    vpce.length > 0 && vpce.every((id) => gateways.awsVpcEndpointIds.includes(id));
  const closedByIp = ips.length > 0 && ips.every((ip) => gateways.egressIps.includes(ip));
  if (closedByVpce || closedByIp) return undefined;

  const bucket = asset.name ?? asset.id.replace("arn:aws:s3:::", "");
  const condition: Record<string, Record<string, string[]>> = {};
  if (gateways.awsVpcEndpointIds.length > 0)
    condition.StringNotEquals = { "aws:SourceVpce": gateways.awsVpcEndpointIds };
  if (gateways.egressIps.length > 0)
    condition.NotIpAddress = { "aws:SourceIp": gateways.egressIps };
  const statement = {
    Sid: "RingfenceOnlyThroughGateway",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: condition,
  };
  const kept = existingStatements(asset).filter(
    (s) => (s as { Sid?: unknown }).Sid !== statement.Sid,
  );
  return {
    assetId: asset.id,
    kind: "bucket_bypasses_gateway",
    severity: "high",
    message: `bucket ${bucket} can be reached without the Ringfence gateway: its policy does not deny requests from outside the gateway's VPC endpoint or addresses`,
    fix: {
      format: "aws-bucket-policy",
      document: { Version: "2012-10-17", Statement: [...kept, statement] },
    },
  };
}

function storageFinding(asset: Asset, gateways: GatewayPlacement): PostureFinding | undefined {
  const open = asset.attributes["access.default_action"] !== "Deny";
  const ips = list(asset.attributes["access.source_ip"]);
  const vnets = list(asset.attributes["access.vnet_rules"]).map((id) => id.toLowerCase());
  const foreign =
    ips.some((ip) => !gateways.egressIps.includes(ip)) ||
    vnets.some((id) => !gateways.azureSubnetIds.map((s) => s.toLowerCase()).includes(id));
  if (!open && !foreign) return undefined;
  return {
    assetId: asset.id,
    kind: "storage_bypasses_gateway",
    severity: "high",
    message: `storage account ${asset.name ?? asset.id} accepts traffic that does not come through the Ringfence gateway (default action ${open ? "Allow" : "Deny"}${foreign ? ", rules for other sources" : ""})`,
    fix: {
      format: "azure-network-acls",
      document: {
        properties: {
          publicNetworkAccess: "Enabled",
          networkAcls: {
            defaultAction: "Deny",
            bypass: "None",
            ipRules: gateways.egressIps.map((value) => ({ value, action: "Allow" })),
            virtualNetworkRules: gateways.azureSubnetIds.map((id) => ({ id, action: "Allow" })),
          },
        },
      },
    },
  };
}

function imdsFinding(asset: Asset): PostureFinding | undefined {
  if (asset.attributes["imds.http_tokens"] !== "optional") return undefined;
  const instanceId = asset.attributes.instance_id;
  return {
    assetId: asset.id,
    kind: "imds_v1_allowed",
    severity: "high",
    message: `instance ${instanceId ?? asset.id} still accepts IMDSv1: an SSRF can read its role credentials with a plain GET, as in the 2019 breach`,
    fix: {
      format: "aws-metadata-options",
      document: {
        InstanceId: instanceId,
        HttpTokens: "required",
        HttpEndpoint: "enabled",
        HttpPutResponseHopLimit: 1,
      },
    },
  };
}

/** Evaluates every posture rule over an inventory. Pure: the same inventory gives the same findings. */
export function postureFindings(
  assets: readonly Asset[],
  gateways: GatewayPlacement,
): PostureFinding[] {
  const findings: PostureFinding[] = [];
  for (const asset of assets) {
    const finding =
      asset.provider === "aws" && asset.kind === "bucket"
        ? bucketFinding(asset, gateways)
        : asset.provider === "azure" && asset.kind === "storage_account"
          ? storageFinding(asset, gateways)
          : asset.kind === "instance"
            ? imdsFinding(asset)
            : undefined;
    if (finding) findings.push(finding);
  }
  return findings;
}
