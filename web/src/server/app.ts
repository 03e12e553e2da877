import type { OpenAPIHono } from "@hono/zod-openapi";
import type { Database } from "@ringfence/db";
import { bodyLimit } from "hono/body-limit";
import type { ServerConfig } from "./config.ts";
import type { AppEnv } from "./context.ts";
import { AppError } from "./errors.ts";
import { handleError, handleNotFound } from "./http/problem.ts";
import { newRouter } from "./http/router.ts";
import { jsonLogger, type Logger, silentLogger } from "./log.ts";
import { authenticate } from "./middleware/authenticate.ts";
import { csrf } from "./middleware/csrf.ts";
import { jsonBody } from "./middleware/json-body.ts";
import { requestId } from "./middleware/request-id.ts";
import { wideLog } from "./middleware/wide-log.ts";
import { routers } from "./routes/index.ts";

export interface CreateAppOptions {
  db: Database;
  config: ServerConfig;
  /** Defaults to JSON lines on stdout, or nothing when `config.log` is `silent`. */
  logger?: Logger;
}

/**
 * The control plane's HTTP app: `/api/v1/*` and `/api/openapi.json`. The same app is mounted in
 * Next.js and served standalone (serve.ts). Middleware order matters: the request id and the log
 * wrap everything; the body limit runs before anything reads the body; authentication before the
 * CSRF check, which needs to know whether a cookie authenticated the request.
 */
export function createApp(options: CreateAppOptions): OpenAPIHono<AppEnv> {
  const { db, config } = options;
  const logger = options.logger ?? (config.log === "silent" ? silentLogger : jsonLogger());
  const app = newRouter();

  app.use("*", async (c, next) => {
    c.set("db", db);
    c.set("config", config);
    c.set("logger", logger);
    await next();
  });
  app.use("*", requestId, wideLog);
  app.use(
    "/api/v1/*",
    bodyLimit({
      maxSize: config.bodyLimitBytes,
      onError: () => {
        throw new AppError("payload_too_large", `The body exceeds ${config.bodyLimitBytes} bytes.`);
      },
    }),
    authenticate,
    csrf,
    jsonBody,
  );

  for (const router of routers) app.route("/", router);
  registerOpenApi(app);
  app.onError(handleError);
  app.notFound(handleNotFound);
  return app;
}

function registerOpenApi(app: OpenAPIHono<AppEnv>): void {
  app.openAPIRegistry.registerComponent("securitySchemes", "apiKey", {
    type: "http",
    scheme: "bearer",
    description: "An API key, `rfk_…`",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "session", {
    type: "apiKey",
    in: "cookie",
    name: "rf_session",
  });
  app.doc31("/api/openapi.json", {
    openapi: "3.1.0",
    info: { title: "Ringfence control plane", version: "1" },
    security: [{ apiKey: [] }, { session: [] }],
  });
}
