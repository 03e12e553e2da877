import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";

/** The session cookie's name. */
export const SESSION_COOKIE = "rf_session";

/** Served over https (by the public URL, or the request itself)? Then cookies are `Secure`. */
function isHttps(c: Context<AppEnv>): boolean {
  const configured = c.get("config").publicUrl;
  if (configured) return configured.protocol === "https:";
  return new URL(c.req.url).protocol === "https:";
}

/** httpOnly (no script can read it) and SameSite=Lax (not sent on cross-site subrequests). */
export function setSessionCookie(c: Context<AppEnv>, token: string, maxAgeSeconds: number): void {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: "Lax",
    secure: isHttps(c),
    path: "/",
    maxAge: maxAgeSeconds,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    path: "/",
    secure: isHttps(c),
    httpOnly: true,
    sameSite: "Lax",
  });
}
