import { Hono } from "hono";
import { ConfigError } from "./config.ts";
import type { Env } from "./env.ts";
import { problem } from "./problem.ts";
import { handleProtected } from "./protect.ts";
import { type Runtime, runtimeFor } from "./runtime.ts";
import { statusRoute } from "./status.ts";

/** Per-request values the handlers share. */
export type AppEnv = {
  Bindings: Env;
  Variables: { requestId: string; runtime: Runtime };
};

/**
 * The edge worker: every request gets a request id, the isolate's runtime (configuration,
 * bundle store, event outbox), and then either the status endpoint or the protected path to
 * the origin. Unexpected errors become a 500 problem with the request id; the cause is logged.
 */
export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
    const requestId = crypto.randomUUID();
    c.set("requestId", requestId);
    try {
      c.set("runtime", runtimeFor(c.env));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      console.error(
        JSON.stringify({ msg: "worker misconfigured", requestId, error: error.message }),
      );
      return problem("misconfigured", requestId);
    }
    await next();
    return undefined;
  });

  app.route("/__ringfence", statusRoute());
  app.all("*", handleProtected);

  app.onError((error, c) => {
    const requestId = c.get("requestId") ?? crypto.randomUUID();
    console.error(JSON.stringify({ msg: "unhandled error", requestId, error: String(error) }));
    return problem("internal", requestId);
  });
  return app;
}
