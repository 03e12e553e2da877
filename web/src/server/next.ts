import { openDatabase } from "@ringfence/db";
import { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";

type App = ReturnType<typeof createApp>;

// Next.js may evaluate this module more than once (dev reloads, several route bundles); the app
// and its PGlite database must exist once per process, because PGlite allows one opener.
const holder = globalThis as typeof globalThis & { __ringfenceApp?: Promise<App> };

async function build(): Promise<App> {
  const config = loadConfig();
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  return createApp({ db: database.db, config });
}

/** The process-wide control-plane app behind the Next.js route handler. */
export function controlPlaneApp(): Promise<App> {
  holder.__ringfenceApp ??= build().catch((error: unknown) => {
    // A failed start (a locked directory, bad configuration) is retried on the next request
    // rather than cached for the life of the process.
    holder.__ringfenceApp = undefined;
    throw error;
  });
  return holder.__ringfenceApp;
}
