/**
 * The control plane's public surface for the rest of the workspace: the app factory, the
 * standalone server, the service context types, and the building blocks a new route uses.
 */
export { type CreateAppOptions, createApp } from "./app.ts";
export { type AuditEntry, recordAudit } from "./audit.ts";
export { ConfigError, loadConfig, type ServerConfig } from "./config.ts";
export type {
  Actor,
  AppEnv,
  OrgContext,
  Principal,
  RequestContext,
  ServiceCall,
  ServiceContext,
} from "./context.ts";
export { AppError, ERROR_STATUS, type ErrorCode, type ProblemDocument } from "./errors.ts";
export { orgContext, requestContext, serviceContext } from "./http/context.ts";
export { decodeCursor, type Page, PageQuery, pageSchema, toPage } from "./http/pagination.ts";
export { inOrg, newRouter } from "./http/router.ts";
export * from "./http/schemas.ts";
export { jsonLogger, type Logger, silentLogger } from "./log.ts";
export { requireUser } from "./middleware/access.ts";
export { idempotent } from "./middleware/idempotency.ts";
export { apiKeyRole, PERMISSION_MINIMUM_ROLE, type Permission, roleAllows } from "./permissions.ts";
export { type RunningControlPlane, type ServeOptions, serveControlPlane } from "./serve.ts";
