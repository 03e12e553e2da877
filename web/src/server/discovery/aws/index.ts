import { DescribeRegionsCommand } from "@aws-sdk/client-ec2";
import type { Asset } from "@ringfence/engine/documents";
import { DiscoveryError, type DiscoveryProblem, type DiscoveryResult } from "../types.ts";
import { type AwsRoleTarget, assumeRole, HOME_REGION } from "./assume.ts";
import { type AwsConnection, type AwsCredentials, ec2Client, s3Client } from "./clients.ts";
import { readEc2Region } from "./ec2.ts";
import { awsProblem } from "./errors.ts";
import { mapEc2Region } from "./map-ec2.ts";
import { bucketRegion, listBuckets, readBucket } from "./s3.ts";

export { type AwsRoleTarget, type AwsVerification, verifyAwsRole } from "./assume.ts";
export { type BucketRestrictions, bucketRestrictions } from "./bucket-policy.ts";
export type { AwsConnection, AwsCredentials } from "./clients.ts";
export { type AwsSetup, awsSetup } from "./setup.ts";

/** Regions read at the same time; enough to hide latency, few enough to stay under API rates. */
const REGION_CONCURRENCY = 4;

/**
 * Discovers one AWS account: assumes the role, lists the enabled regions and reads each one,
 * then the buckets. A region that fails is recorded as a problem and the others' assets are
 * kept; only a refused role assumption or an unreadable region list fails the whole sync.
 */
export async function discoverAws(
  connection: AwsConnection,
  target: AwsRoleTarget,
): Promise<DiscoveryResult> {
  const session = await assumeRole(connection, target);
  const regions = await enabledRegions(connection, session);
  const assets: Asset[] = [];
  const problems: DiscoveryProblem[] = [];
  const scopes: string[] = [];

  await forEachLimited(regions, REGION_CONCURRENCY, async (region) => {
    const client = ec2Client(connection, session, region);
    try {
      const data = await readEc2Region(client);
      assets.push(...mapEc2Region({ accountId: target.accountId, region }, data));
      scopes.push(`region:${region}`);
    } catch (error) {
      problems.push(awsProblem(`region:${region}`, error));
    } finally {
      client.destroy();
    }
  });

  const buckets = await discoverBuckets(connection, session, target.accountId);
  assets.push(...buckets.assets);
  problems.push(...buckets.problems);
  scopes.push(...buckets.scopes);
  return { assets, problems, scopes: scopes.sort() };
}

async function enabledRegions(connection: AwsConnection, session: AwsCredentials) {
  const client = ec2Client(connection, session, HOME_REGION);
  try {
    const answer = await client.send(new DescribeRegionsCommand({}));
    return (answer.Regions ?? []).flatMap((region) =>
      region.RegionName ? [region.RegionName] : [],
    );
  } catch (error) {
    throw new DiscoveryError(awsProblem("account", error, "ec2:DescribeRegions"), { cause: error });
  } finally {
    client.destroy();
  }
}

async function discoverBuckets(
  connection: AwsConnection,
  session: AwsCredentials,
  accountId: string,
): Promise<DiscoveryResult> {
  const problems: DiscoveryProblem[] = [];
  const home = s3Client(connection, session, HOME_REGION);
  const clients = new Map([[HOME_REGION, home]]);
  try {
    const assets: Asset[] = [];
    for (const bucket of await listBuckets(home)) {
      if (!bucket.Name) continue;
      const region = (await bucketRegion(home, bucket)) ?? HOME_REGION;
      const client = clients.get(region) ?? s3Client(connection, session, region);
      clients.set(region, client);
      assets.push(await readBucket(client, accountId, bucket.Name, region, problems));
    }
    return { assets, problems, scopes: ["s3"] };
  } catch (error) {
    return { assets: [], problems: [awsProblem("s3", error, "s3:ListAllMyBuckets")], scopes: [] };
  } finally {
    for (const client of clients.values()) client.destroy();
  }
}

/** Runs `work` over `items` with at most `limit` in flight. */
async function forEachLimited<T>(items: T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(lanes);
}
