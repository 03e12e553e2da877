import type { ApiKeyScope, Database, Role } from "@ringfence/db";
import type { ServerConfig } from "./config.ts";
import type { LogFields, Logger } from "./log.ts";

/** Who is acting, as recorded in the audit log. */
export interface Actor {
  type: "user" | "api_key" | "system";
  id: string;
}

/** How the request authenticated. Cookie sessions are the ones CSRF checks apply to. */
export type Principal =
  | { type: "user"; userId: string; sessionId: string }
  | { type: "api_key"; keyId: string; organizationId: string; scope: ApiKeyScope };

/** Who is on the other end of a request, as far as the server can tell. */
export interface ClientInfo {
  address: string;
  userAgent: string | undefined;
}

/** The context of verbs that run before anyone is identified (sign-in, key lookup). */
export interface RequestContext {
  db: Database;
  requestId: string;
  config: ServerConfig;
  /** The HTTP client, for verbs that record it (sessions); absent outside a request. */
  client?: ClientInfo;
}

/** What every service verb acting for someone receives as `ctx`. */
export interface ServiceContext extends RequestContext {
  actor: Actor;
}

/**
 * The context of a verb inside one organisation. `organizationId` has already been checked
 * against the caller's membership, and every query the verb runs must still filter by it.
 */
export interface OrgContext extends ServiceContext {
  organizationId: string;
  role: Role;
}

/** The arguments of every service verb. */
export interface ServiceCall<C extends RequestContext, I> {
  ctx: C;
  input: I;
}

/** The Hono environment of the control plane's app. */
export interface AppEnv {
  Variables: {
    requestId: string;
    db: Database;
    config: ServerConfig;
    logger: Logger;
    /** Fields added to this request's wide log event. */
    logFields: LogFields;
    principal: Principal | undefined;
    org: { organizationId: string; role: Role } | undefined;
  };
}
