import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";

/** Ids a caller may choose: short, printable, nothing that could forge a log line or header. */
const ACCEPTED = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes the caller's `X-Request-Id` when it is well-formed, otherwise makes one, and echoes it on
 * every response, errors included, so a client can quote it.
 */
export const requestId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const given = c.req.header("x-request-id");
  const id = given && ACCEPTED.test(given) ? given : `req_${randomUUID()}`;
  c.set("requestId", id);
  c.header("X-Request-Id", id);
  await next();
  c.res.headers.set("X-Request-Id", id);
};
