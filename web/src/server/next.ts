import type { createApp } from "./app.ts";
import { loadConfig } from "./config.ts";
import { startControlPlane } from "./start.ts";

type App = ReturnType<typeof createApp>;

// Next.js may evaluate this module more than once (dev reloads, several route bundles); the app
// and its PGlite database must exist once per process, because PGlite allows one opener.
const holder = globalThis as typeof globalThis & { __ringfenceApp?: Promise<App> };

async function build(): Promise<App> {
  const { app } = await startControlPlane({ config: loadConfig(), env: process.env });
  return app;
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
