import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { AppError, type ProblemAction } from "../errors.ts";
import { requestContext } from "../http/context.ts";
import { mfaClock } from "../services/mfa/runtime.ts";
import { lastVerifiedAt } from "../services/mfa/verification.ts";

/**
 * Guards a sensitive action (minting or revoking credentials, cloud accounts, integration
 * secrets, keys, roles): a person's session must have proven its user, by sign-in or by
 * `POST /api/v1/auth/step-up`, within the step-up window (RINGFENCE_STEP_UP_MINUTES). Otherwise
 * 401 `step_up_required`, which the console answers by asking for a code or the password.
 *
 * API keys pass: a machine client has no second factor to offer, and its protection is the key
 * itself, which is scoped (write keys act as editors, never admins), revocable at once and
 * audited. Mount after `orgAccess` (or `requireUser`), so the caller is already known.
 */
/** How a session steps up: with a code or the password, or by logging in again at its provider. */
const STEP_UP_ACTIONS: ProblemAction[] = [
  { method: "POST", path: "/api/v1/auth/step-up", purpose: "step_up" },
  { method: "GET", path: "/api/v1/auth/sso/start?stepUp=true", purpose: "sso_step_up" },
];

export const requireStepUp: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.get("principal");
  if (principal?.type === "api_key") return next();
  if (!principal) throw new AppError("unauthenticated", "Sign in first.");

  const verifiedAt = await lastVerifiedAt(requestContext(c), principal.sessionId);
  const windowMs = c.get("config").mfa.stepUpSeconds * 1000;
  const now = mfaClock(c.get("db"))();
  if (verifiedAt === undefined || now - verifiedAt.getTime() > windowMs) {
    c.get("logFields").stepUp = "required";
    throw new AppError(
      "step_up_required",
      "Confirm it is you with a code from your authenticator, your password or your identity provider, then try again.",
      { actions: STEP_UP_ACTIONS },
    );
  }
  await next();
};
