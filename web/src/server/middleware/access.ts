import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../context.ts";
import { AppError } from "../errors.ts";
import { requestContext } from "../http/context.ts";
import { apiKeyRole, type Permission, roleAllows } from "../permissions.ts";
import { findMembershipRole } from "../services/members/find-access.ts";
import { assertMfaRequirementMet } from "../services/mfa/org-requirement.ts";

/**
 * Resolves `/orgs/{orgId}/…` to the caller's role there. Not being a member answers 404, the
 * same as a missing organisation, so ids of other tenants cannot be probed. A member without a
 * second factor in an organisation that requires one gets 403 `mfa_enrollment_required`.
 */
export const orgAccess: MiddlewareHandler<AppEnv> = async (c, next) => {
  const organizationId = c.req.param("orgId");
  const principal = c.get("principal");
  if (!principal) throw new AppError("unauthenticated", "Sign in or send an API key.");
  if (!organizationId) throw new Error("orgAccess mounted on a path without {orgId}");

  const role =
    principal.type === "api_key"
      ? principal.organizationId === organizationId
        ? apiKeyRole(principal.scope)
        : undefined
      : await findMembershipRole({
          ctx: requestContext(c),
          input: { organizationId, userId: principal.userId },
        });
  if (!role) throw new AppError("not_found", `No organisation ${organizationId}.`);
  if (principal.type === "user") {
    const input = { organizationId, userId: principal.userId };
    await assertMfaRequirementMet({ ctx: requestContext(c), input });
  }

  c.set("org", { organizationId, role });
  await next();
};

/** 403 unless the caller's role in the path's organisation grants `permission`. */
export function requirePermission(permission: Permission): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const org = c.get("org");
    if (!org) throw new Error("requirePermission used on a route that orgAccess does not cover");
    if (!roleAllows(org.role, permission)) {
      throw new AppError("forbidden", `The ${org.role} role cannot ${permission}.`);
    }
    await next();
  };
}

/** 401 without a principal, 403 for API keys: the route acts for a person. */
export const requireUser: MiddlewareHandler<AppEnv> = async (c, next) => {
  const principal = c.get("principal");
  if (!principal) throw new AppError("unauthenticated", "Sign in first.");
  if (principal.type !== "user") {
    throw new AppError("forbidden", "This route acts for a signed-in person, not an API key.");
  }
  await next();
};

/** The session id of a user principal, for sign-out. */
export function sessionIdOf(c: Context<AppEnv>): string {
  const principal = c.get("principal");
  if (principal?.type !== "user") throw new AppError("unauthenticated", "Sign in first.");
  return principal.sessionId;
}
