import type { Database } from "@ringfence/db";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv, OrgContext, RequestContext } from "../../context.ts";
import { AppError } from "../../errors.ts";
import { orgContext, requestContext } from "../../http/context.ts";
import { authenticateEnforcer } from "./authenticate.ts";
import {
  createEnforcementRuntime,
  type EnforcementRuntime,
  type EnforcementSettings,
  type EnforcerContext,
  type WithEnforcement,
} from "./runtime.ts";

/**
 * The enforcement runtime of each open database. The app factory knows nothing of it yet, so
 * startup installs it here with prepareEnforcement and the enforcement routes look it up.
 */
// FIXME(enforcement): carry the runtime in CreateAppOptions and the Hono context (owned by the
// Foundation) and delete this registry; it exists only because createApp has no slot for it.
const runtimes = new WeakMap<Database, EnforcementRuntime>();

/**
 * Creates the enforcement runtime for a database (loading and checking the key-encryption key)
 * and makes it available to the enforcement routes. Call once at startup, before serving;
 * it throws KekError when the key is missing or is not the one that sealed the stored keys.
 */
export async function prepareEnforcement(options: {
  db: Database;
  env: Record<string, string | undefined>;
  dataDir: string | undefined;
  settings?: Partial<EnforcementSettings>;
}): Promise<EnforcementRuntime> {
  const runtime = await createEnforcementRuntime(options);
  runtimes.set(options.db, runtime);
  return runtime;
}

/** The runtime of the request's database; a missing one is a startup mistake, hence 500. */
export function enforcementOf(c: Context<AppEnv>): EnforcementRuntime {
  const runtime = runtimes.get(c.get("db"));
  if (runtime === undefined) {
    throw new Error("the enforcement runtime is not prepared; call prepareEnforcement at startup");
  }
  return runtime;
}

/** The organisation context of the path, with the enforcement runtime. */
export function orgEnforcementContext(c: Context<AppEnv>): WithEnforcement<OrgContext> {
  return withLazyEnforcement(c, orgContext(c));
}

/**
 * Adds the runtime as a property read on first use, so verbs that refuse a request (not found,
 * forbidden) answer that before a missing runtime could turn it into a 500.
 */
export function withLazyEnforcement<C extends RequestContext>(
  c: Context<AppEnv>,
  ctx: C,
): WithEnforcement<C> {
  return Object.defineProperty({ ...ctx }, "enforcement", {
    get: () => enforcementOf(c),
    enumerable: true,
  }) as WithEnforcement<C>;
}

/** The bearer secret of the Authorization header when it has the given prefix. */
export function bearerWithPrefix(c: Context<AppEnv>, prefix: string): string | undefined {
  const match = /^Bearer (\S+)$/.exec(c.req.header("authorization") ?? "");
  const secret = match?.[1];
  return secret?.startsWith(prefix) ? secret : undefined;
}

/** Contexts of authenticated enforcer requests, kept for the handler that follows. */
const enforcerContexts = new WeakMap<Request, EnforcerContext>();

/**
 * Route middleware of the enforcer protocol: authenticates the enforcer credential
 * (`Authorization: Bearer rfe_…`) before the request is validated, so a caller without a valid
 * credential learns nothing about what a valid request looks like. 401 when it is missing,
 * unknown or revoked.
 */
export const requireEnforcer: MiddlewareHandler<AppEnv> = async (c, next) => {
  const credential = bearerWithPrefix(c, "rfe_");
  const enforcer =
    credential === undefined
      ? undefined
      : await authenticateEnforcer({ ctx: requestContext(c), input: { credential } });
  if (enforcer === undefined) {
    throw new AppError("unauthenticated", "Send a valid enforcer credential (Bearer rfe_…).");
  }

  c.get("logFields").enforcerId = enforcer.id;
  c.get("logFields").organizationId = enforcer.organizationId;
  enforcerContexts.set(c.req.raw, {
    ...requestContext(c),
    enforcer,
    enforcement: enforcementOf(c),
  });
  await next();
};

/** Route middleware of registration: 401 before validation when no `rfr_` token is sent. */
export const requireRegistrationToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (bearerWithPrefix(c, "rfr_") === undefined) {
    throw new AppError("unauthenticated", "Send the registration token as Bearer rfr_….");
  }
  await next();
};

/** The context requireEnforcer established for this request. */
export function enforcerContext(c: Context<AppEnv>): EnforcerContext {
  const ctx = enforcerContexts.get(c.req.raw);
  if (ctx === undefined) {
    throw new Error("enforcerContext called on a route without requireEnforcer");
  }
  return ctx;
}
