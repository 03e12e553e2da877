import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { cloudAccounts, openDatabase, organizations, type RingfenceDatabase } from "@ringfence/db";
import { createScratchDatabase } from "@ringfence/db/testing";
import { type AwsConnection, discoverAws } from "../../web/src/server/discovery/aws/index.ts";
import { enqueueSync, processNextSync } from "../../web/src/server/discovery/sync/index.ts";
import { importKek } from "../../web/src/server/services/keys/kek.ts";
import { type AwsAccount, startAwsReplay, syntheticAwsAccount } from "../replay/aws/index.ts";

/**
 * `pnpm bench:discover`: a synthetic AWS account of 50,000 instances in five regions, served by
 * the replay server on 127.0.0.1, synced into an in-memory PGlite (and, when
 * RINGFENCE_TEST_PG_URL is set, into a PostgreSQL database made for the run and dropped after);
 * then 1% of the instances change a tag and the account is synced again. Records wall times,
 * rows written, and the reference the sync is compared with: the connector alone (network and
 * parsing, no database), measured in the same run.
 */
const INSTANCES = Number(process.env.BENCH_INSTANCES ?? 50_000);
const PG_URL = process.env.RINGFENCE_TEST_PG_URL;
const REGIONS = ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2"];
const CALLER = {
  accessKeyId: "AKIABENCHCALLER00001",
  secretAccessKey: "bench-secret",
  arn: "arn:aws:iam::000000000000:user/bench",
};

const seconds = (start: number) => Math.round((performance.now() - start) / 10) / 100;
const round2 = (value: number) => Math.round(value * 100) / 100;

/** One database leg: onboard, sync everything, change 1%, sync again. */
async function runLeg(
  database: RingfenceDatabase,
  account: AwsAccount,
  aws: AwsConnection,
  connectorOnly: number,
) {
  const [org] = await database.db
    .insert(organizations)
    .values({ name: "bench", slug: `bench-${Date.now()}` })
    .returning();
  const [row] = await database.db
    .insert(cloudAccounts)
    .values({
      organizationId: org?.id ?? "",
      provider: "aws",
      name: "bench",
      cloudAccountId: account.accountId,
      roleArn: `arn:aws:iam::${account.accountId}:role/${account.roleName}`,
      externalId: account.externalId,
      status: "active",
    })
    .returning();
  const ids = { organizationId: org?.id ?? "", accountId: row?.id ?? "" };
  const runtime = {
    db: database.db,
    kek: await importKek(crypto.getRandomValues(new Uint8Array(32))),
    aws,
  };
  const sync = async () => {
    await enqueueSync(database.db, { ...ids, trigger: "manual" });
    const began = performance.now();
    const outcome = await processNextSync(runtime);
    return { seconds: seconds(began), applied: outcome?.applied };
  };

  const initial = await sync();
  const changed = mutate(account, 0.01, "moved");
  const resync = await sync();
  mutate(account, 0.01, "worker");
  return {
    initialSync: {
      seconds: initial.seconds,
      rowsWritten: initial.applied?.rowsWritten,
      added: initial.applied?.added,
    },
    resyncOnePercent: {
      instancesChanged: changed,
      seconds: resync.seconds,
      rowsWritten: resync.applied?.rowsWritten,
      changed: resync.applied?.changed,
      unchanged: resync.applied?.unchanged,
    },
    ratios: {
      initialSyncOverConnector: round2(initial.seconds / connectorOnly),
      resyncOverConnector: round2(resync.seconds / connectorOnly),
      rowsWrittenResyncOverInitial: round2(
        (resync.applied?.rowsWritten ?? 0) / (initial.applied?.rowsWritten ?? 1),
      ),
    },
  };
}

async function main() {
  const account = syntheticAwsAccount({
    accountId: "123456789012",
    externalId: "rf-bench",
    regions: REGIONS,
    instancesPerRegion: Math.ceil(INSTANCES / REGIONS.length),
  });
  const replay = await startAwsReplay({
    caller: CALLER,
    accounts: [account],
    pageSize: 1000,
    throttle: {},
  });
  try {
    const aws: AwsConnection = {
      credentials: { accessKeyId: CALLER.accessKeyId, secretAccessKey: CALLER.secretAccessKey },
      // The replay's loopback address is the only destination, and no name is ever looked up.
      outbound: {
        resolver: async (name: string) => Promise.reject(new Error(`no lookup of ${name}`)),
        allow: ["127.0.0.1"],
      },
      endpoint: replay.url,
    };
    const start = performance.now();
    const reference = await discoverAws(aws, {
      accountId: account.accountId,
      roleArn: `arn:aws:iam::${account.accountId}:role/${account.roleName}`,
      externalId: account.externalId,
    });
    const connectorOnly = seconds(start);

    const legs: Record<string, unknown> = {};
    const pglite = await openDatabase({ inMemory: true });
    try {
      legs.pglite = await runLeg(pglite, account, aws, connectorOnly);
    } finally {
      await pglite.close();
    }
    if (PG_URL) {
      const scratch = await createScratchDatabase(PG_URL);
      const postgres = await openDatabase({ url: scratch.url, poolSize: 4 });
      try {
        legs.postgres = await runLeg(postgres, account, aws, connectorOnly);
      } finally {
        await postgres.close();
        await scratch.drop();
      }
    }
    const result = {
      measuredAt: new Date().toISOString(),
      instances: Object.values(account.regions).reduce((n, r) => n + r.instances.length, 0),
      assets: reference.assets.length,
      reference: { connectorOnlySeconds: connectorOnly },
      ...legs,
    };
    const out = join(fileURLToPath(new URL("../..", import.meta.url)), "bench-results");
    mkdirSync(out, { recursive: true });
    writeFileSync(join(out, "discover.json"), `${JSON.stringify(result, null, 2)}\n`);
    console.log(JSON.stringify(result, null, 2));
  } finally {
    await replay.close();
  }
}

/** Sets the `app` tag of every hundredth instance to `value`; returns how many it set. */
function mutate(account: AwsAccount, fraction: number, value: string): number {
  let count = 0;
  const every = Math.round(1 / fraction);
  for (const region of Object.values(account.regions)) {
    region.instances.forEach((instance, index) => {
      if (index % every !== 0) return;
      instance.tags = [...instance.tags.filter((tag) => tag.key !== "app"), { key: "app", value }];
      count++;
    });
  }
  return count;
}

await main();
