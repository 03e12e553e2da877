import { openDatabase, type RingfenceDatabase } from "@ringfence/db";
import { ENGINE_VERSION } from "@ringfence/engine";
import { createApp } from "./app.ts";
import type { ServerConfig } from "./config.ts";
import { type DiscoveryConnections, discoveryConnectionsFromEnv } from "./discovery/config.ts";
import { type DiscoveryRuntime, enqueueDueSyncs, processNextSync } from "./discovery/sync/index.ts";
import { startOutboxWorker } from "./jobs/outbox.ts";
import type { Logger } from "./log.ts";
import { prepareDiscovery } from "./services/discovery/runtime.ts";
import { prepareEnforcement } from "./services/enforcers/http.ts";
import { type EnforcementRuntime, systemOrgContext } from "./services/enforcers/runtime.ts";
import {
  egressAllowFromEnv,
  prepareReport,
  reportOfDatabase,
  systemResolver,
} from "./services/integrations/runtime.ts";
import { reencryptPending } from "./services/keys/jobs.ts";
import { recompileIfMembershipChanged } from "./services/publish/recompile.ts";
import { applyRetention, retentionDaysFromEnv } from "./services/retention/apply.ts";
import { prepareSso, ssoEgressAllowFromEnv, systemTxtResolver } from "./services/sso/runtime.ts";

/** A started control plane: the HTTP app, its database and its background jobs. */
export interface ControlPlane {
  app: ReturnType<typeof createApp>;
  database: RingfenceDatabase;
  /** Stops the background jobs and closes the database. */
  stop(): Promise<void>;
}

export interface StartOptions {
  config: ServerConfig;
  env: Record<string, string | undefined>;
  logger?: Logger;
  /** Background jobs (discovery schedule and sync); tests that drive jobs themselves turn it off. */
  jobs?: boolean;
}

/**
 * Everything a control-plane process does at startup, in one place for the standalone server
 * and the Next.js route handler alike: open (and migrate) the database, load the key-encryption
 * key and prove it opens the stored keys (a wrong key stops the process here, not at the first
 * bundle), build the app, and start the job loops.
 */
export async function startControlPlane(options: StartOptions): Promise<ControlPlane> {
  const { config, env } = options;
  // Fail on a bad setting before the database is opened.
  const retentionDays = retentionDaysFromEnv(env);
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const enforcement = await prepareEnforcement({
      db: database.db,
      env,
      dataDir: config.databaseUrl ? undefined : config.dataDir,
    });
    prepareReport(database.db, {
      kek: enforcement.kek,
      resolver: systemResolver,
      egressAllow: egressAllowFromEnv(env),
      productVersion: ENGINE_VERSION,
    });
    // Identity providers are reached through the SSRF guard; loopback only when allowlisted.
    prepareSso(database.db, {
      resolver: systemResolver,
      egressAllow: ssoEgressAllowFromEnv(env),
      resolveTxt: systemTxtResolver(env),
    });
    // Every discovery call (AWS SDK, Azure and GCP REST) is judged by the SSRF guard; only
    // destinations listed in RINGFENCE_OUTBOUND_ALLOW may be non-global.
    const discovery = prepareDiscovery(
      database.db,
      discoveryConnectionsFromEnv(env, {
        resolver: systemResolver,
        allow: (env.RINGFENCE_OUTBOUND_ALLOW ?? "").split(",").filter((entry) => entry !== ""),
      }),
    );
    const app = createApp({
      db: database.db,
      config,
      ...(options.logger ? { logger: options.logger } : {}),
    });
    const jobs =
      options.jobs === false
        ? undefined
        : startJobs({ database, config, enforcement, discovery, retentionDays });
    const stop = async () => {
      await jobs?.stop();
      await database.close();
    };
    return { app, database, stop };
  } catch (error) {
    await database.close();
    throw error;
  }
}

const JOB_INTERVAL_MS = 5000;
const RETENTION_INTERVAL_MS = 6 * 3600 * 1000;

function logJobError(error: unknown): void {
  const fields = { level: "error", msg: "job failed", error: String(error) };
  process.stderr.write(`${JSON.stringify(fields)}\n`);
}

/**
 * The discovery loop: queue the syncs whose schedule is due, then work the queue. Rows are
 * claimed with FOR UPDATE SKIP LOCKED, so several replicas can run this loop side by side.
 */
function startJobs(options: {
  database: RingfenceDatabase;
  config: ServerConfig;
  enforcement: EnforcementRuntime;
  discovery: DiscoveryConnections;
  retentionDays: number;
}): { stop(): Promise<void> } {
  const { database, config, enforcement, discovery } = options;
  const kek = enforcement.kek;
  // A sync that changed the inventory may change an object's members: recompile as the system.
  const recompileFor = async (organizationId: string) => {
    const ctx = systemOrgContext({
      db: database.db,
      config,
      enforcement,
      organizationId,
      actorId: "discovery",
    });
    await recompileIfMembershipChanged({ ctx, input: undefined });
  };
  const runtime: DiscoveryRuntime = {
    db: database.db,
    kek,
    ...discovery,
    onInventoryChanged: ({ organizationId }) => recompileFor(organizationId),
  };
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  // Events and audit rows reach integrations through the outbox; the loop claims rows in the
  // database, so it is safe in every replica.
  const report = reportOfDatabase(database.db);
  const outbox = startOutboxWorker({ db: database.db, runtime: report, onError: logJobError });
  let lastRetention = 0;

  const tick = async () => {
    if (Date.now() - lastRetention > RETENTION_INTERVAL_MS) {
      lastRetention = Date.now();
      await applyRetention(database.db, { days: options.retentionDays });
    }
    // Values still sealed by retired data keys move to the live ones (data-key rotation).
    await reencryptPending(database.db, enforcement.keyring);
    await enqueueDueSyncs(database.db);
    while (!stopped && (await processNextSync(runtime)) !== undefined) {
      // Work the queue until it is empty or the process stops.
    }
  };
  const timer = setInterval(() => {
    running = running.then(tick).catch(logJobError);
  }, JOB_INTERVAL_MS);
  timer.unref();

  return {
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.all([running, outbox.stop()]);
    },
  };
}
