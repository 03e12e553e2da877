import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv, Principal } from "../context.ts";
import { AppError } from "../errors.ts";
import { requestContext } from "../http/context.ts";
import { SESSION_COOKIE } from "../http/cookies.ts";
import { authenticateApiKey } from "../services/api-keys/authenticate.ts";
import { resolveSession } from "../services/auth/resolve-session.ts";

const BEARER = /^Bearer (rfk_[A-Za-z0-9_-]{43})$/;

/**
 * Finds out who is calling: an API key in `Authorization: Bearer`, else a session cookie. A bad
 * or revoked key is refused at once (the caller meant to authenticate and should know it failed);
 * a stale cookie just leaves the request anonymous, and routes that need a principal say 401.
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set("principal", await resolvePrincipal(c));
  await next();
};

async function resolvePrincipal(c: Context<AppEnv>): Promise<Principal | undefined> {
  const authorization = c.req.header("authorization");
  // Enforcer credentials and registration tokens are checked by the enforcer routes themselves;
  // here they identify no user or API key, so they pass through as "no principal".
  if (authorization !== undefined && /^Bearer rf[er]_/.test(authorization)) return undefined;
  if (authorization !== undefined) {
    const secret = BEARER.exec(authorization)?.[1];
    const key = secret
      ? await authenticateApiKey({ ctx: requestContext(c), input: { secret } })
      : undefined;
    if (!key)
      throw new AppError(
        "unauthenticated",
        "The API key is invalid, expired, rotated away or revoked.",
      );
    return { type: "api_key", ...key };
  }

  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return undefined;
  const session = await resolveSession({ ctx: requestContext(c), input: { token } });
  return session ? { type: "user", ...session } : undefined;
}
