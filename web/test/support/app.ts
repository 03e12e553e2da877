import { openDatabase, type RingfenceDatabase } from "@ringfence/db";
import { createScratchDatabase } from "@ringfence/db/testing";
import { createApp, loadConfig, type ServerConfig } from "../../src/server/index.ts";
import type { Logger } from "../../src/server/log.ts";
import { prepareEnforcement } from "../../src/server/services/enforcers/http.ts";
import { prepareReport } from "../../src/server/services/integrations/runtime.ts";
import { prepareSso } from "../../src/server/services/sso/runtime.ts";

export type TestApp = ReturnType<typeof createApp>;

export interface TestServer {
  app: TestApp;
  database: RingfenceDatabase;
  config: ServerConfig;
  logs: Record<string, unknown>[];
  close(): Promise<void>;
}

/** A logger that keeps events in memory so tests can assert what was (not) logged. */
function memoryLogger(logs: Record<string, unknown>[]): Logger {
  return {
    info: (msg, fields) => logs.push({ level: "info", msg, ...fields }),
    error: (msg, fields) => logs.push({ level: "error", msg, ...fields }),
  };
}

/**
 * The app on a database of its own: PGlite in memory by default, a scratch PostgreSQL database
 * when the web:pg project sets RINGFENCE_TEST_BACKEND=pg.
 */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestServer> {
  const config = loadConfig({ RINGFENCE_LOG: "silent", RINGFENCE_TRUST_PROXY: "true", ...env });
  let drop: (() => Promise<void>) | undefined;
  let database: RingfenceDatabase;

  if (process.env.RINGFENCE_TEST_BACKEND === "pg") {
    const base = process.env.RINGFENCE_TEST_PG_URL;
    if (!base) throw new Error("web:pg runs need RINGFENCE_TEST_PG_URL");
    const scratch = await createScratchDatabase(base);
    drop = scratch.drop;
    database = await openDatabase({ url: scratch.url, poolSize: 4 });
  } else {
    database = await openDatabase({ inMemory: true });
  }

  // Every test app has the enforcement runtime, as a started control plane does, under a
  // key-encryption key of its own unless the test chose one.
  const kek =
    env.RINGFENCE_KEK ?? Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");
  const enforcement = await prepareEnforcement({
    db: database.db,
    env: { RINGFENCE_KEK: kek },
    dataDir: undefined,
  });
  // Name lookups in tests come from tables the tests give; nothing reaches the system resolver.
  prepareReport(database.db, {
    kek: enforcement.kek,
    resolver: async (host) => {
      throw new Error(`no resolver table in this test for ${host}`);
    },
    egressAllow: [],
    productVersion: "test",
  });
  // SSO tests replace this with their provider's address and a DNS zone (support/sso.ts).
  prepareSso(database.db, {
    resolver: async (host) => {
      throw new Error(`no resolver table in this test for ${host}`);
    },
    egressAllow: [],
    resolveTxt: async (name) => {
      throw new Error(`no TXT zone in this test for ${name}`);
    },
  });

  const logs: Record<string, unknown>[] = [];
  const app = createApp({ db: database.db, config, logger: memoryLogger(logs) });
  const close = async () => {
    await database.close();
    await drop?.();
  };
  return { app, database, config, logs, close };
}
