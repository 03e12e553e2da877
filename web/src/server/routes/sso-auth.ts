import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requestContext } from "../http/context.ts";
import { applySignIn } from "../http/mfa-cookie.ts";
import { newRouter } from "../http/router.ts";
import { errorResponses } from "../http/schemas.ts";
import { withMfa } from "../services/mfa/runtime.ts";
import { finishSso } from "../services/sso/callback.ts";
import { withSso } from "../services/sso/runtime.ts";
import { LOGIN_TTL_SECONDS, startSso } from "../services/sso/start.ts";
import { ssoRedirectUri } from "./sso.ts";

/** Carries the state from the start to the callback in the same browser only. */
const STATE_COOKIE = "rf_sso_state";
const STATE_PATH = "/api/v1/auth/sso";

function stateCookieOptions(c: Context<AppEnv>) {
  const secure = (c.get("config").publicUrl ?? new URL(c.req.url)).protocol === "https:";
  // Lax, not Strict: the provider's redirect back is a cross-site top-level navigation.
  return { httpOnly: true, sameSite: "Lax", secure, path: STATE_PATH } as const;
}

/** A path on our own origin: one leading slash, so `//host` or `/\host` cannot leave it. */
const ReturnTo = z
  .string()
  .max(500)
  .regex(/^\/(?![/\\])[^\s]*$/, "A path of this console, such as /orgs")
  .default("/");

const startRoute = createRoute({
  method: "get",
  path: "/api/v1/auth/sso/start",
  tags: ["auth"],
  summary: "Begin single sign-on: redirects to the organisation's identity provider",
  description:
    "Name the organisation by `org` (its slug) or by `email` (its verified domain). With `stepUp=true` a signed-in session re-proves its user for sensitive actions: the provider is asked to log them in again (`prompt=login`, `max_age=0`) and the callback marks this session stepped-up instead of starting one.",
  request: {
    query: z
      .strictObject({
        org: z.string().min(1).max(100).optional(),
        email: z.email().max(254).optional(),
        returnTo: ReturnTo,
        stepUp: z.enum(["true", "false"]).default("false"),
      })
      .refine((q) => (q.org === undefined) !== (q.email === undefined), {
        message: "Give either org or email",
        path: ["org"],
      }),
  },
  responses: { 302: { description: "To the identity provider" }, ...errorResponses },
});

const callbackRoute = createRoute({
  method: "get",
  path: "/api/v1/auth/sso/callback",
  tags: ["auth"],
  summary: "Where the identity provider returns; starts the session and redirects",
  description:
    "Browsers (Accept: text/html) are sent to `/sign-in?ssoError=…` on failure; other clients get the problem document.",
  request: {
    query: z.object({
      state: z.string().max(512).optional(),
      code: z.string().max(4096).optional(),
      iss: z.string().max(2048).optional(),
      error: z.string().max(256).optional(),
      error_description: z.string().max(1024).optional(),
    }),
  },
  responses: { 302: { description: "Signed in (or to the sign-in page)" }, ...errorResponses },
});

/** The signed-in person starting a step-up; API keys have no one to log in again. */
function signedInSession(c: Context<AppEnv>) {
  const principal = c.get("principal");
  if (!principal) throw new AppError("unauthenticated", "Sign in first, then step up.");
  if (principal.type !== "user") {
    throw new AppError("forbidden", "Step-up is for a signed-in person, not an API key.");
  }
  return { sessionId: principal.sessionId, userId: principal.userId };
}

export const ssoAuthRoutes = newRouter()
  .openapi(startRoute, async (c) => {
    const { stepUp, ...query } = c.req.valid("query");
    const input = {
      ...query,
      redirectUri: ssoRedirectUri(c),
      stepUp: stepUp === "true" ? signedInSession(c) : undefined,
    };
    const { url, state } = await startSso({ ctx: withSso(c, requestContext(c)), input });
    setCookie(c, STATE_COOKIE, state, { ...stateCookieOptions(c), maxAge: LOGIN_TTL_SECONDS });
    return c.redirect(url, 302);
  })
  .openapi(callbackRoute, async (c) => {
    // The redirect URI as registered, with the provider's answer: openid-client derives the
    // token request's redirect_uri from it, so it must not depend on how the request reached us.
    const callbackUrl = new URL(ssoRedirectUri(c));
    callbackUrl.search = new URL(c.req.url).search;
    const stateCookie = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, stateCookieOptions(c));
    try {
      const principal = c.get("principal");
      const sessionId = principal?.type === "user" ? principal.sessionId : undefined;
      const input = { callbackUrl, stateCookie, sessionId };
      const result = await finishSso({ ctx: withMfa(c, withSso(c, requestContext(c))), input });
      const { returnTo } = result;
      if (result.kind === "step_up") return c.redirect(returnTo, 302);
      const mfaRequired = applySignIn(c, result.outcome);
      return c.redirect(
        mfaRequired ? `/sign-in/mfa?returnTo=${encodeURIComponent(returnTo)}` : returnTo,
        302,
      );
    } catch (error) {
      const wantsPage = (c.req.header("accept") ?? "").includes("text/html");
      if (!(error instanceof AppError) || !wantsPage) throw error;
      c.get("logFields").ssoError = error.detail;
      return c.redirect(`/sign-in?ssoError=${encodeURIComponent(error.detail)}`, 302);
    }
  });
