import type { Context } from "hono";
import type { AppEnv, OrgContext, RequestContext, ServiceContext } from "../context.ts";
import { AppError } from "../errors.ts";
import { clientAddress } from "./client-address.ts";

/** The context of verbs that run before anyone is identified. */
export function requestContext(c: Context<AppEnv>): RequestContext {
  const client = { address: clientAddress(c), userAgent: c.req.header("user-agent") };
  return { db: c.get("db"), requestId: c.get("requestId"), config: c.get("config"), client };
}

/** The context of a verb acting for the authenticated principal; 401 without one. */
export function serviceContext(c: Context<AppEnv>): ServiceContext {
  const principal = c.get("principal");
  if (!principal) throw new AppError("unauthenticated", "Sign in or send an API key.");
  const actor =
    principal.type === "user"
      ? { type: "user" as const, id: principal.userId }
      : { type: "api_key" as const, id: principal.keyId };
  return { ...requestContext(c), actor };
}

/** The context of a verb inside the organisation of the path, set by `orgAccess`. */
export function orgContext(c: Context<AppEnv>): OrgContext {
  const org = c.get("org");
  if (!org) throw new Error("orgContext called on a route that orgAccess does not cover");
  return { ...serviceContext(c), ...org };
}
