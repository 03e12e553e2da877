import { createHash } from "node:crypto";
import { and, eq } from "drizzle-orm";
import type { Database, Transaction } from "../client.ts";
import { cloudAccounts, inventoryAssets } from "../schema/index.ts";

/**
 * The demo estate of "Acme Corp": one AWS account and one Azure subscription, written as the
 * canonical inventory (`@ringfence/engine/documents`, docs/engine/inventory.md). The addresses
 * are the ones the breach replay puts on its namespace's loopback, so the same names decide
 * there and in the console.
 */

/** A canonical asset, spelled out here because the database package does not import the engine. */
export interface DemoAsset {
  id: string;
  provider: "aws" | "azure";
  kind: string;
  account: string;
  region: string;
  zone?: string;
  state?: string;
  name?: string;
  addresses: { private: string[]; public: string[] };
  attributes: Record<string, string | string[]>;
  tags: Record<string, string>;
}

export const DEMO_AWS_ACCOUNT = "210987654321";
export const DEMO_AZURE_SUBSCRIPTION = "5d3c1a40-7e0b-4c7e-9f6a-2b8d1e0c4a11";
export const DEMO_REGION = "us-east-1";
export const DEMO_PATCHES_BUCKET = "acme-internal-patches";
export const DEMO_DATA_BUCKET = "acme-customer-data";
/** The interface VPC endpoint the gateways reach S3 through. */
export const DEMO_GATEWAY_VPCE = "vpce-0a7e5ringfence01";
const VNETB = `/subscriptions/${DEMO_AZURE_SUBSCRIPTION}/resourceGroups/rg-ops/providers/Microsoft.Network/virtualNetworks/VNetb`;
const VNETA = `/subscriptions/${DEMO_AZURE_SUBSCRIPTION}/resourceGroups/rg-lab/providers/Microsoft.Network/virtualNetworks/VNeta`;

/** The demo sources by role; the replay gives each of these addresses to its loopback. */
export const DEMO_SOURCES = {
  /** The web application's instance (behind the WAF) whose role was stolen in 2019. */
  webApp: "10.10.1.20",
  centos7: "10.20.1.11",
  centos7Second: "10.20.1.12",
  ubuntu: "10.20.2.30",
  analytics: "10.30.1.5",
  vnetbVm: "10.40.1.7",
  vnetaVm: "10.50.1.9",
} as const;

function ec2(
  name: string,
  vpc: string,
  ip: string,
  os: { os: string; version: string; tag: string },
  tags: Record<string, string>,
): DemoAsset {
  const instanceId = `i-0${createHash("sha256").update(name).digest("hex").slice(0, 16)}`;
  return {
    id: `aws:${DEMO_AWS_ACCOUNT}:${DEMO_REGION}:instance/${instanceId}`,
    provider: "aws",
    kind: "instance",
    account: DEMO_AWS_ACCOUNT,
    region: DEMO_REGION,
    zone: `${DEMO_REGION}a`,
    state: "running",
    name,
    addresses: { private: [ip], public: [] },
    attributes: {
      vpc,
      subnet: `subnet-${vpc.slice(4)}a`,
      instance_id: instanceId,
      instance_type: "m5.large",
      os: os.os,
      "os.version": os.version,
      "imds.http_tokens": "optional",
    },
    tags: { Name: name, OS: os.tag, ...tags },
  };
}

function vpc(id: string, cidr: string, name: string): DemoAsset {
  return {
    id: `aws:${DEMO_AWS_ACCOUNT}:${DEMO_REGION}:vpc/${id}`,
    provider: "aws",
    kind: "vpc",
    account: DEMO_AWS_ACCOUNT,
    region: DEMO_REGION,
    name,
    addresses: { private: [], public: [] },
    attributes: { vpc: id, cidr },
    tags: { Name: name },
  };
}

function bucket(name: string, tags: Record<string, string>, policy: unknown): DemoAsset {
  return {
    id: `arn:aws:s3:::${name}`,
    provider: "aws",
    kind: "bucket",
    account: DEMO_AWS_ACCOUNT,
    region: DEMO_REGION,
    name,
    addresses: { private: [], public: [] },
    attributes: { "access.policy": JSON.stringify(policy) },
    tags,
  };
}

function azureVm(name: string, vnet: string, ip: string, osTag: string): DemoAsset {
  return {
    id: `/subscriptions/${DEMO_AZURE_SUBSCRIPTION}/resourcegroups/rg-ops/providers/microsoft.compute/virtualmachines/${name}`.toLowerCase(),
    provider: "azure",
    kind: "instance",
    account: DEMO_AZURE_SUBSCRIPTION,
    region: "eastus",
    state: "running",
    name,
    addresses: { private: [ip], public: [] },
    attributes: { vnet, subnet: `${vnet}/subnets/default`, os: "Linux", platform: "Linux" },
    tags: { OS: osTag, Team: "platform" },
  };
}

const CENTOS = { os: "CentOS", version: "7.9.2009", tag: "CentOS 7.x" };
const UBUNTU = { os: "Ubuntu", version: "22.04", tag: "Ubuntu 22.04" };
const AMAZON = { os: "Amazon Linux", version: "2", tag: "Amazon Linux 2" };

/** The customer's own bucket policy: readable by the account, nothing about the gateway. */
const accountReadPolicy = (name: string) => ({
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "AccountRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${DEMO_AWS_ACCOUNT}:root` },
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
    },
  ],
});

/** The AWS account's assets: three VPCs, five instances, two buckets and the gateway endpoint. */
export function demoAwsAssets(): DemoAsset[] {
  const s = DEMO_SOURCES;
  return [
    vpc("vpc-0web1c0ffee", "10.10.0.0/16", "prod-web"),
    vpc("vpc-0ops2c0ffee", "10.20.0.0/16", "ops-build"),
    vpc("vpc-0data3c0ffee", "10.30.0.0/16", "data-analytics"),
    ec2("waf-web-1", "vpc-0web1c0ffee", s.webApp, AMAZON, { Role: "web-app", Env: "prod" }),
    ec2("build-centos-1", "vpc-0ops2c0ffee", s.centos7, CENTOS, { Role: "build", Env: "prod" }),
    ec2("build-centos-2", "vpc-0ops2c0ffee", s.centos7Second, CENTOS, { Role: "build" }),
    ec2("tools-ubuntu-1", "vpc-0ops2c0ffee", s.ubuntu, UBUNTU, { Role: "tools" }),
    ec2("analytics-1", "vpc-0data3c0ffee", s.analytics, AMAZON, { Role: "analytics" }),
    {
      id: `aws:${DEMO_AWS_ACCOUNT}:${DEMO_REGION}:vpc-endpoint/${DEMO_GATEWAY_VPCE}`,
      provider: "aws",
      kind: "vpc_endpoint",
      account: DEMO_AWS_ACCOUNT,
      region: DEMO_REGION,
      name: "ringfence-gateway-s3",
      addresses: { private: [], public: [] },
      attributes: { vpc: "vpc-0ops2c0ffee", service: `com.amazonaws.${DEMO_REGION}.s3` },
      tags: { ManagedBy: "ringfence" },
    },
    bucket(DEMO_PATCHES_BUCKET, { Purpose: "os-patches" }, accountReadPolicy(DEMO_PATCHES_BUCKET)),
    bucket(DEMO_DATA_BUCKET, { Data: "customer-pii" }, accountReadPolicy(DEMO_DATA_BUCKET)),
  ];
}

/** The Azure subscription's assets: the VNet `VNetb` with a patch agent, and a lab VNet. */
export function demoAzureAssets(): DemoAsset[] {
  return [
    azureVm("patch-agent-b1", VNETB, DEMO_SOURCES.vnetbVm, "Rocky 9"),
    azureVm("lab-a1", VNETA, DEMO_SOURCES.vnetaVm, "Rocky 9"),
  ];
}

/** The whole demo inventory as one canonical inventory document. */
export function demoInventory(): { schemaVersion: 1; assets: DemoAsset[] } {
  return { schemaVersion: 1, assets: [...demoAwsAssets(), ...demoAzureAssets()] };
}

/** Canonical JSON (sorted members) so the stored hash does not depend on property order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** The sync scope discovery records for an asset, so a later import replaces seeded rows. */
function scopeOf(asset: DemoAsset): string {
  if (asset.provider === "aws") return asset.kind === "bucket" ? "s3" : `region:${asset.region}`;
  return `kind:${asset.kind}`;
}

async function upsertAccount(
  tx: Transaction,
  organizationId: string,
  account: { provider: "aws" | "azure"; cloudAccountId: string; name: string },
): Promise<string> {
  await tx
    .insert(cloudAccounts)
    .values({ organizationId, ...account, offline: true, status: "active" })
    .onConflictDoNothing();
  const [row] = await tx
    .select({ id: cloudAccounts.id })
    .from(cloudAccounts)
    .where(
      and(
        eq(cloudAccounts.organizationId, organizationId),
        eq(cloudAccounts.provider, account.provider),
        eq(cloudAccounts.cloudAccountId, account.cloudAccountId),
      ),
    );
  if (!row) throw new Error(`seedDemoInventory: the ${account.provider} demo account vanished`);
  return row.id;
}

async function upsertAssets(
  tx: Transaction,
  organizationId: string,
  accountId: string,
  assets: readonly DemoAsset[],
): Promise<void> {
  for (const asset of assets) {
    const row = {
      organizationId,
      accountId,
      cloudId: asset.id,
      kind: asset.kind,
      region: asset.region,
      scope: scopeOf(asset),
      hash: createHash("sha256").update(canonical(asset)).digest("hex"),
      document: asset,
    };
    await tx
      .insert(inventoryAssets)
      .values(row)
      .onConflictDoUpdate({
        target: [
          inventoryAssets.organizationId,
          inventoryAssets.accountId,
          inventoryAssets.cloudId,
        ],
        set: { hash: row.hash, document: row.document, scope: row.scope, kind: row.kind },
      });
  }
}

/**
 * Adds the demo AWS account and Azure subscription as offline accounts (never synced against a
 * cloud) with their inventory. Running it again restores the seeded documents.
 */
export async function seedDemoInventory(
  db: Database | Transaction,
  organizationId: string,
): Promise<void> {
  await db.transaction(async (tx) => {
    const aws = await upsertAccount(tx, organizationId, {
      provider: "aws",
      cloudAccountId: DEMO_AWS_ACCOUNT,
      name: "acme-production (demo)",
    });
    const azure = await upsertAccount(tx, organizationId, {
      provider: "azure",
      cloudAccountId: DEMO_AZURE_SUBSCRIPTION,
      name: "acme-ops (demo)",
    });
    await upsertAssets(tx, organizationId, aws, demoAwsAssets());
    await upsertAssets(tx, organizationId, azure, demoAzureAssets());
  });
}
