import { OpenAPIHono } from "@hono/zod-openapi";
import type { MiddlewareHandler } from "hono";
import type { ZodError } from "zod";
import type { AppEnv } from "../context.ts";
import { AppError, type InvalidField } from "../errors.ts";
import { orgAccess, requirePermission } from "../middleware/access.ts";
import type { Permission } from "../permissions.ts";

const LOCATIONS: Record<string, string> = { json: "body", query: "query", param: "param" };

/** Every invalid input of a zod error, each with where it was and its path. */
function invalidFields(target: string, error: ZodError): InvalidField[] {
  return error.issues.map((issue) => {
    const keys = issue.code === "unrecognized_keys" ? issue.keys : [];
    const path = [...issue.path, ...keys.slice(0, 1)].map(String).join(".");
    return { location: LOCATIONS[target] ?? target, path, message: issue.message };
  });
}

/**
 * A router for one entity's routes. Validation failures become `invalid_request` naming every
 * bad field, before any service runs, so nothing is half-written.
 */
export function newRouter(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      const fields = invalidFields(result.target, result.error);
      const names = fields.map((field) => field.path || field.location).join(", ");
      throw new AppError("invalid_request", `Invalid ${names}.`, { fields, cause: result.error });
    },
  });
}

/** The middleware of a route under `/orgs/{orgId}`: membership first, then the permission. */
export function inOrg(permission: Permission, ...more: MiddlewareHandler<AppEnv>[]) {
  return [orgAccess, requirePermission(permission), ...more];
}
