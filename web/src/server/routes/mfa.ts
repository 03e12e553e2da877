import { createRoute, z } from "@hono/zod-openapi";
import { orgContext, requestContext, serviceContext } from "../http/context.ts";
import { setSessionCookie } from "../http/cookies.ts";
import { challengeTokenOf, clearChallengeCookie } from "../http/mfa-cookie.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
import { requireUser, sessionIdOf } from "../middleware/access.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { completeChallenge } from "../services/mfa/complete-challenge.ts";
import { confirmTotpEnrolment } from "../services/mfa/confirm-enrolment.ts";
import { disableTotp } from "../services/mfa/disable.ts";
import { getMfaStatus } from "../services/mfa/get-status.ts";
import { getMfaRequirement, setMfaRequirement } from "../services/mfa/org-requirement.ts";
import { regenerateRecoveryCodes } from "../services/mfa/regenerate-recovery-codes.ts";
import { withMfa } from "../services/mfa/runtime.ts";
import { startTotpEnrolment } from "../services/mfa/start-enrolment.ts";
import { stepUp } from "../services/mfa/step-up.ts";

const Code = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "Six digits");
const RecoveryCode = z.string().trim().min(16).max(40);
/** A second factor: a TOTP code or one recovery code, exactly one of them. */
const Proof = z.union([
  z.strictObject({ code: Code }),
  z.strictObject({ recoveryCode: RecoveryCode }),
]);
const Password = z.string().min(1).max(200);
const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) }).openapi("RecoveryCodes");
const User = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  createdAt: Timestamp,
});

const statusRoute = createRoute({
  method: "get",
  path: "/api/v1/me/mfa",
  tags: ["mfa"],
  summary: "The signed-in user's second factor and this session's step-up state",
  middleware: [requireUser],
  responses: {
    200: jsonResponse(
      "Status",
      z
        .object({
          totp: z.enum(["none", "pending", "active"]),
          confirmedAt: Timestamp.nullable(),
          recoveryCodesLeft: z.number().int(),
          stepUpValidUntil: Timestamp.nullable(),
          hasPassword: z.boolean().openapi({
            description:
              "Whether the user has a password; false after signing up through single sign-on, so step-up offers no password field.",
          }),
          ssoStepUpOrganization: z.string().nullable(),
        })
        .openapi("MfaStatus"),
    ),
    ...errorResponses,
  },
});

const enrolRoute = createRoute({
  method: "post",
  path: "/api/v1/me/mfa/totp",
  tags: ["mfa"],
  summary: "Start TOTP enrolment: a new secret and its otpauth:// URI, shown once",
  middleware: [requireUser, requireStepUp],
  request: { body: jsonBody(z.strictObject({})) },
  responses: {
    201: jsonResponse(
      "Enrolment started",
      z
        .object({
          uri: z.string(),
          secret: z.string(),
          algorithm: z.string(),
          digits: z.number().int(),
          period: z.number().int(),
        })
        .openapi("TotpEnrolment"),
    ),
    ...errorResponses,
  },
});

const confirmRoute = createRoute({
  method: "post",
  path: "/api/v1/me/mfa/totp/confirm",
  tags: ["mfa"],
  summary: "Confirm enrolment with a first code; returns ten recovery codes, shown once",
  middleware: [requireUser],
  request: { body: jsonBody(z.strictObject({ code: Code })) },
  responses: { 200: jsonResponse("Confirmed", RecoveryCodes), ...errorResponses },
});

const disableRoute = createRoute({
  method: "post",
  path: "/api/v1/me/mfa/totp/disable",
  tags: ["mfa"],
  summary: "Remove the second factor; needs a code or recovery code and the password",
  description:
    "An account created by single sign-on has no password: it sends only the code, from a session that logged in at its identity provider within the step-up window.",
  middleware: [requireUser],
  request: {
    body: jsonBody(
      z.union([
        z.strictObject({ password: Password.optional(), code: Code }),
        z.strictObject({ password: Password.optional(), recoveryCode: RecoveryCode }),
      ]),
    ),
  },
  responses: { 204: { description: "Disabled" }, ...errorResponses },
});

const regenerateRoute = createRoute({
  method: "post",
  path: "/api/v1/me/mfa/recovery-codes",
  tags: ["mfa"],
  summary: "Replace all recovery codes with ten new ones (old ones stop working)",
  middleware: [requireUser, requireStepUp],
  request: { body: jsonBody(z.strictObject({})) },
  responses: { 200: jsonResponse("New codes", RecoveryCodes), ...errorResponses },
});

const verifyRoute = createRoute({
  method: "post",
  path: "/api/v1/auth/mfa/verify",
  tags: ["mfa"],
  summary: "Finish a sign-in pending MFA with a code or a recovery code (sets the session)",
  request: { body: jsonBody(Proof) },
  responses: { 200: jsonResponse("Signed in", z.object({ user: User })), ...errorResponses },
});

const stepUpRoute = createRoute({
  method: "post",
  path: "/api/v1/auth/step-up",
  tags: ["mfa"],
  summary: "Re-prove the signed-in user for sensitive actions (code, recovery code or password)",
  middleware: [requireUser],
  request: {
    body: jsonBody(z.union([Proof, z.strictObject({ password: Password })])),
  },
  responses: {
    200: jsonResponse(
      "Verified",
      z.object({ verifiedAt: Timestamp, validUntil: Timestamp }).openapi("StepUp"),
    ),
    ...errorResponses,
  },
});

const MfaRequirement = z
  .object({ required: z.boolean(), membersWithoutMfa: z.number().int() })
  .openapi("MfaRequirement");

const getRequirementRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/mfa-requirement",
  tags: ["mfa"],
  summary: "Whether members must have a second factor, and how many lack one",
  middleware: inOrg("read"),
  request: { params: OrgParams },
  responses: { 200: jsonResponse("Requirement", MfaRequirement), ...errorResponses },
});

const setRequirementRoute = createRoute({
  method: "put",
  path: "/api/v1/orgs/{orgId}/mfa-requirement",
  tags: ["mfa"],
  summary: "Require (or stop requiring) a second factor of every member",
  middleware: inOrg("org:manage", requireStepUp),
  request: { params: OrgParams, body: jsonBody(z.strictObject({ required: z.boolean() })) },
  responses: { 200: jsonResponse("Requirement", MfaRequirement), ...errorResponses },
});

export const mfaRoutes = newRouter()
  .openapi(statusRoute, async (c) => {
    const ctx = withMfa(c, serviceContext(c));
    return c.json(await getMfaStatus({ ctx, input: { sessionId: sessionIdOf(c) } }), 200);
  })
  .openapi(enrolRoute, async (c) => {
    const ctx = withMfa(c, serviceContext(c));
    return c.json(await startTotpEnrolment({ ctx, input: {} }), 201);
  })
  .openapi(confirmRoute, async (c) => {
    const input = { sessionId: sessionIdOf(c), code: c.req.valid("json").code };
    return c.json(await confirmTotpEnrolment({ ctx: withMfa(c, serviceContext(c)), input }), 200);
  })
  .openapi(disableRoute, async (c) => {
    const { password, ...proof } = c.req.valid("json");
    const input = { sessionId: sessionIdOf(c), password, proof };
    await disableTotp({ ctx: withMfa(c, serviceContext(c)), input });
    return c.body(null, 204);
  })
  .openapi(regenerateRoute, async (c) => {
    return c.json(await regenerateRecoveryCodes({ ctx: serviceContext(c), input: {} }), 200);
  })
  .openapi(verifyRoute, async (c) => {
    const input = { challengeToken: challengeTokenOf(c), proof: c.req.valid("json") };
    const { user, token } = await completeChallenge({ ctx: withMfa(c, requestContext(c)), input });
    clearChallengeCookie(c);
    setSessionCookie(c, token, c.get("config").sessionTtlSeconds);
    return c.json({ user }, 200);
  })
  .openapi(stepUpRoute, async (c) => {
    const input = { sessionId: sessionIdOf(c), proof: c.req.valid("json") };
    return c.json(await stepUp({ ctx: withMfa(c, serviceContext(c)), input }), 200);
  })
  .openapi(getRequirementRoute, async (c) => {
    return c.json(await getMfaRequirement({ ctx: orgContext(c), input: {} }), 200);
  })
  .openapi(setRequirementRoute, async (c) => {
    const input = c.req.valid("json");
    return c.json(await setMfaRequirement({ ctx: orgContext(c), input }), 200);
  });
