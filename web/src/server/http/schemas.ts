import { z } from "@hono/zod-openapi";
import { ROLES } from "@ringfence/db";

/** Shared OpenAPI schemas: the problem document and common parameters. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    requestId: z.string(),
    errors: z
      .array(z.object({ location: z.string(), path: z.string(), message: z.string() }))
      .optional(),
    actions: z
      .array(
        z.object({
          method: z.enum(["GET", "POST"]),
          path: z.string(),
          purpose: z.string(),
        }),
      )
      .optional()
      .openapi({
        description:
          "Requests that resolve the problem, e.g. for `step_up_required`: `POST /api/v1/auth/step-up` (purpose `step_up`) and, after single sign-on, `GET /api/v1/auth/sso/start?stepUp=true` (purpose `sso_step_up`).",
      }),
  })
  .openapi("Problem");

export const RoleSchema = z.enum(ROLES).openapi("Role");

/** A prefixed id in a path, e.g. `org_01j…`; the services decide whether it exists. */
export function idParam(name: string, example: string) {
  return z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name, in: "path" }, example });
}

export const OrgParams = z.strictObject({
  orgId: idParam("orgId", "org_01jb3k0000000000000000000"),
});

const problem = { "application/problem+json": { schema: ProblemSchema } };

/** The error responses every route documents; routes add their success response. */
export const errorResponses = {
  400: { description: "Invalid request", content: problem },
  401: { description: "Not authenticated", content: problem },
  403: { description: "Role or origin refused", content: problem },
  404: { description: "Not found (or not yours)", content: problem },
  409: { description: "Conflict", content: problem },
  413: { description: "Body too large", content: problem },
  415: { description: "Body must be application/json", content: problem },
  422: { description: "Idempotency-Key reused with another body", content: problem },
  429: { description: "Rate limited", content: problem },
} as const;

/** A JSON request body, always required so a missing body is a validation error. */
export function jsonBody<T extends z.ZodType>(schema: T) {
  return { required: true, content: { "application/json": { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(description: string, schema: T) {
  return { description, content: { "application/json": { schema } } } as const;
}

/** Dates leave the API as ISO 8601 strings. */
export const Timestamp = z.iso.datetime();
