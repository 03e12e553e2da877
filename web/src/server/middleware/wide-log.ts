import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";

/**
 * One wide event per request, written when the response is ready. Handlers add fields through
 * `c.get("logFields")`. Headers and bodies are never logged, so secrets cannot leak this way.
 */
export const wideLog: MiddlewareHandler<AppEnv> = async (c, next) => {
  const started = performance.now();
  c.set("logFields", {});
  await next();

  const principal = c.get("principal");
  const fields = {
    requestId: c.get("requestId"),
    method: c.req.method,
    path: c.req.path,
    status: c.res.status,
    durationMs: Math.round((performance.now() - started) * 100) / 100,
    principalType: principal?.type,
    principalId: principal?.type === "user" ? principal.userId : principal?.keyId,
    organizationId: c.get("org")?.organizationId,
    ...c.get("logFields"),
  };
  if (c.res.status >= 500) c.get("logger").error("request", fields);
  else c.get("logger").info("request", fields);
};
