import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import type { RingfenceDatabase } from "@ringfence/db";
import { loadConfig, type ServerConfig } from "./config.ts";
import { startControlPlane } from "./start.ts";

export interface ServeOptions {
  /** Default 127.0.0.1; nothing listens beyond loopback unless asked to. */
  host?: string;
  /** Default 0: any free port; the ready line says which. */
  port?: number;
  config?: ServerConfig;
  /** Where the key-encryption key and discovery settings are read; default `process.env`. */
  env?: Record<string, string | undefined>;
  /** Background jobs; default on. */
  jobs?: boolean;
}

export interface RunningControlPlane {
  url: string;
  database: RingfenceDatabase;
  close(): Promise<void>;
}

/**
 * Serves the control plane with @hono/node-server: opens the database, listens, and resolves
 * once the port is bound. Tests and the gateway's end-to-end tests start it this way.
 */
export async function serveControlPlane(options: ServeOptions = {}): Promise<RunningControlPlane> {
  const config = options.config ?? loadConfig();
  const { app, database, stop } = await startControlPlane({
    config,
    env: options.env ?? process.env,
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
  });
  const host = options.host ?? "127.0.0.1";

  const { server, port } = await new Promise<{ server: ReturnType<typeof serve>; port: number }>(
    (resolve) => {
      const server = serve({ fetch: app.fetch, hostname: host, port: options.port ?? 0 }, (info) =>
        resolve({ server, port: info.port }),
      );
    },
  );
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;

  const close = async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await stop();
  };
  return { url, database, close };
}

function argument(name: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

/**
 * `tsx web/src/server/serve.ts [--host 127.0.0.1] [--port 0]` prints one ready line,
 * `{"ready":"control-plane","url":"http://127.0.0.1:PORT"}`, then runs until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  const port = Number(argument("port") ?? process.env.PORT ?? 0);
  const running = await serveControlPlane({ host: argument("host"), port });
  process.stdout.write(`${JSON.stringify({ ready: "control-plane", url: running.url })}\n`);

  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
