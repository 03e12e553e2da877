import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { CHALLENGE_TTL_SECONDS, type SignInOutcome } from "../services/mfa/begin-session.ts";
import { setSessionCookie } from "./cookies.ts";

/**
 * The cookie of a sign-in pending its second factor. It is not the session cookie, so nothing
 * but the MFA step reads it, and its path keeps it off every other route.
 */
export const MFA_CHALLENGE_COOKIE = "rf_mfa_challenge";
const PATH = "/api/v1/auth/mfa";

function options(c: Context<AppEnv>) {
  const configured = c.get("config").publicUrl;
  const https = (configured ?? new URL(c.req.url)).protocol === "https:";
  return { httpOnly: true, sameSite: "Lax", secure: https, path: PATH } as const;
}

/**
 * Sets the cookie a sign-in outcome calls for: the session, or the challenge. Returns whether a
 * second factor is still owed. Password sign-in and SSO callbacks both finish through here.
 */
export function applySignIn(c: Context<AppEnv>, outcome: SignInOutcome): boolean {
  if (outcome.kind === "session") {
    setSessionCookie(c, outcome.token, c.get("config").sessionTtlSeconds);
    return false;
  }
  setCookie(c, MFA_CHALLENGE_COOKIE, outcome.challengeToken, {
    ...options(c),
    maxAge: CHALLENGE_TTL_SECONDS,
  });
  return true;
}

export function challengeTokenOf(c: Context<AppEnv>): string | undefined {
  return getCookie(c, MFA_CHALLENGE_COOKIE);
}

export function clearChallengeCookie(c: Context<AppEnv>): void {
  deleteCookie(c, MFA_CHALLENGE_COOKIE, options(c));
}
