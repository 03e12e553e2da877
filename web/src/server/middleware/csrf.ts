import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { SESSION_COOKIE } from "../http/cookies.ts";

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

function allowedOrigins(c: Context<AppEnv>): Set<string> {
  const origins = new Set([new URL(c.req.url).origin]);
  const configured = c.get("config").publicUrl;
  if (configured) origins.add(configured.origin);
  return origins;
}

/**
 * Refuses cross-site writes that ride on the browser's cookies. Bearer requests are exempt: a
 * browser never attaches an Authorization header on its own. Everything else that writes must
 * come from our own origin: `Sec-Fetch-Site` when the browser sends it, else `Origin`; an opaque
 * `Origin: null` is refused, and a cookie-carrying write with neither header is refused too,
 * because every current browser sends `Origin` on non-GET requests.
 */
export const csrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.has(c.req.method) || c.get("principal")?.type === "api_key") return next();

  const site = c.req.header("sec-fetch-site");
  const origin = c.req.header("origin");
  const refuse = (why: string) => {
    c.get("logFields").csrf = why;
    throw new AppError("csrf_rejected", `Cross-site write refused: ${why}.`);
  };

  if (site !== undefined && site !== "same-origin") refuse(`Sec-Fetch-Site is ${site}`);
  if (origin !== undefined && !allowedOrigins(c).has(origin)) refuse("the Origin is not ours");
  if (site === undefined && origin === undefined && getCookie(c, SESSION_COOKIE) !== undefined) {
    refuse("a cookie-carrying write without Origin or Sec-Fetch-Site");
  }
  await next();
};
