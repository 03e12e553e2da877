import { createRoute, z } from "@hono/zod-openapi";
import { clientAddress } from "../http/client-address.ts";
import { requestContext, serviceContext } from "../http/context.ts";
import { clearSessionCookie, setSessionCookie } from "../http/cookies.ts";
import { applySignIn } from "../http/mfa-cookie.ts";
import { newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, RoleSchema, Timestamp } from "../http/schemas.ts";
import { requireUser, sessionIdOf } from "../middleware/access.ts";
import { getMe } from "../services/auth/get-me.ts";
import { signIn } from "../services/auth/sign-in.ts";
import { signOut } from "../services/auth/sign-out.ts";
import { signUp } from "../services/auth/sign-up.ts";

const User = z
  .object({ id: z.string(), email: z.string(), name: z.string(), createdAt: Timestamp })
  .openapi("User");
const Email = z.email().max(254);
const Password = z.string().min(10).max(200);

const signUpRoute = createRoute({
  method: "post",
  path: "/api/v1/auth/sign-up",
  tags: ["auth"],
  summary: "Create an account and sign in",
  request: {
    body: jsonBody(
      z.strictObject({ email: Email, password: Password, name: z.string().trim().min(1).max(200) }),
    ),
  },
  responses: { 201: jsonResponse("Signed up", z.object({ user: User })), ...errorResponses },
});

const signInRoute = createRoute({
  method: "post",
  path: "/api/v1/auth/sign-in",
  tags: ["auth"],
  summary: "Sign in with email and password (sets the session cookie, or the MFA challenge's)",
  description:
    "With `mfaRequired: true` no session exists yet: finish with POST /api/v1/auth/mfa/verify.",
  request: {
    body: jsonBody(z.strictObject({ email: Email, password: z.string().min(1).max(200) })),
  },
  responses: {
    200: jsonResponse("Signed in", z.object({ user: User, mfaRequired: z.boolean() })),
    ...errorResponses,
  },
});

const signOutRoute = createRoute({
  method: "post",
  path: "/api/v1/auth/sign-out",
  tags: ["auth"],
  summary: "End the current session",
  middleware: [requireUser],
  request: { body: jsonBody(z.strictObject({})) },
  responses: { 204: { description: "Signed out" }, ...errorResponses },
});

const meRoute = createRoute({
  method: "get",
  path: "/api/v1/me",
  tags: ["auth"],
  summary: "The signed-in user and their organisations",
  middleware: [requireUser],
  responses: {
    200: jsonResponse(
      "Me",
      z.object({
        user: User,
        organizations: z.array(
          z.object({ id: z.string(), name: z.string(), slug: z.string(), role: RoleSchema }),
        ),
      }),
    ),
    ...errorResponses,
  },
});

export const authRoutes = newRouter()
  .openapi(signUpRoute, async (c) => {
    const { user, token } = await signUp({ ctx: requestContext(c), input: c.req.valid("json") });
    setSessionCookie(c, token, c.get("config").sessionTtlSeconds);
    return c.json({ user }, 201);
  })
  .openapi(signInRoute, async (c) => {
    const input = { ...c.req.valid("json"), source: clientAddress(c) };
    const { user, outcome } = await signIn({ ctx: requestContext(c), input });
    return c.json({ user, mfaRequired: applySignIn(c, outcome) }, 200);
  })
  .openapi(signOutRoute, async (c) => {
    await signOut({ ctx: serviceContext(c), input: { sessionId: sessionIdOf(c) } });
    clearSessionCookie(c);
    return c.body(null, 204);
  })
  .openapi(meRoute, async (c) => c.json(await getMe({ ctx: serviceContext(c), input: {} }), 200));
