import {
  type Bucket,
  GetBucketLocationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  type PublicAccessBlockConfiguration,
  paginateListBuckets,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { Asset } from "@ringfence/engine/documents";
import type { DiscoveryProblem } from "../types.ts";
import { bucketRestrictions } from "./bucket-policy.ts";
import { awsProblem } from "./errors.ts";
import { tagRecord } from "./map-ec2.ts";

/** Errors S3 uses to say "this bucket has none", which is an answer rather than a failure. */
const ABSENT = new Set([
  "NoSuchTagSet",
  "NoSuchBucketPolicy",
  "NoSuchPublicAccessBlockConfiguration",
]);

/** Lists every bucket of the account (ListBuckets is global; any region's client answers). */
export async function listBuckets(client: S3Client): Promise<Bucket[]> {
  const out: Bucket[] = [];
  for await (const page of paginateListBuckets({ client, pageSize: 1000 }, {})) {
    out.push(...(page.Buckets ?? []));
  }
  return out;
}

/** Runs one per-bucket read; "not configured" is undefined, a denial becomes a problem. */
async function optional<T>(
  read: () => Promise<T>,
  scope: string,
  action: string,
  problems: DiscoveryProblem[],
): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof Error && ABSENT.has(error.name)) return undefined;
    problems.push(awsProblem(scope, error, action));
    return undefined;
  }
}

/** The S3 region of a bucket: ListBuckets' BucketRegion when given, else GetBucketLocation. */
export async function bucketRegion(client: S3Client, bucket: Bucket): Promise<string | undefined> {
  if (bucket.BucketRegion) return bucket.BucketRegion;
  const answer = await client.send(new GetBucketLocationCommand({ Bucket: bucket.Name }));
  return answer.LocationConstraint || "us-east-1";
}

function accessBlock(config: PublicAccessBlockConfiguration | undefined): string {
  if (!config) return "off";
  const flags = [
    config.BlockPublicAcls,
    config.IgnorePublicAcls,
    config.BlockPublicPolicy,
    config.RestrictPublicBuckets,
  ];
  if (flags.every(Boolean)) return "on";
  return flags.some(Boolean) ? "partial" : "off";
}

/**
 * Reads one bucket's tags, policy and public-access block through a client of its region and
 * maps it to a canonical asset. The policy text is kept in `access.policy` so posture findings
 * can build the statement that closes the bucket from what is already there.
 */
export async function readBucket(
  client: S3Client,
  accountId: string,
  name: string,
  region: string,
  problems: DiscoveryProblem[],
): Promise<Asset> {
  const scope = `s3:${name}`;
  const tagging = await optional(
    () => client.send(new GetBucketTaggingCommand({ Bucket: name })),
    scope,
    "s3:GetBucketTagging",
    problems,
  );
  const policy = await optional(
    () => client.send(new GetBucketPolicyCommand({ Bucket: name })),
    scope,
    "s3:GetBucketPolicy",
    problems,
  );
  const block = await optional(
    () => client.send(new GetPublicAccessBlockCommand({ Bucket: name })),
    scope,
    "s3:GetBucketPublicAccessBlock",
    problems,
  );
  const restrictions = bucketRestrictions(policy?.Policy);
  const attributes: Asset["attributes"] = {
    "access.public_block": accessBlock(block?.PublicAccessBlockConfiguration),
  };
  if (policy?.Policy) attributes["access.policy"] = policy.Policy;
  if (restrictions.vpce.length > 0) attributes["access.vpce"] = restrictions.vpce;
  if (restrictions.vpc.length > 0) attributes["access.vpc"] = restrictions.vpc;
  if (restrictions.sourceIp.length > 0) attributes["access.source_ip"] = restrictions.sourceIp;
  return {
    id: `arn:aws:s3:::${name}`,
    provider: "aws",
    kind: "bucket",
    account: accountId,
    region,
    name,
    addresses: { private: [], public: [] },
    attributes,
    tags: tagRecord(tagging?.TagSet),
  };
}
