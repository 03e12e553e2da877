import { createRoute, z } from "@hono/zod-openapi";
import { API_KEY_SCOPES } from "@ringfence/db";
import { orgContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  OrgParams,
  Timestamp,
} from "../http/schemas.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { createApiKey } from "../services/api-keys/create.ts";
import { listApiKeys } from "../services/api-keys/list.ts";
import { revokeApiKey } from "../services/api-keys/revoke.ts";
import { rotateApiKey } from "../services/api-keys/rotate.ts";
import { MAX_OVERLAP_SECONDS } from "../services/credentials/lifecycle.ts";

const ApiKey = z
  .object({
    id: z.string(),
    name: z.string(),
    start: z.string(),
    scope: z.enum(API_KEY_SCOPES),
    createdBy: z.string().nullable(),
    expiresAt: Timestamp.nullable(),
    rotatedAt: Timestamp.nullable(),
    previousValidUntil: Timestamp.nullable().openapi({
      description: "Until when the secret replaced by the last rotation still authenticates",
    }),
    lastUsedAt: Timestamp.nullable(),
    lastUsedFrom: z.string().nullable(),
    revokedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("ApiKey");

const createKeyRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/api-keys",
  tags: ["api keys"],
  summary: "Create an API key; the secret is shown once",
  middleware: inOrg("keys:manage", requireStepUp, idempotent({ redact: ["secret"] })),
  request: {
    params: OrgParams,
    body: jsonBody(
      z.strictObject({
        name: z.string().trim().min(1).max(200),
        scope: z.enum(API_KEY_SCOPES),
        expiresInDays: z
          .number()
          .int()
          .min(1)
          .max(3650)
          .optional()
          .openapi({ description: "Days until the key stops working; no expiry when absent" }),
      }),
    ),
  },
  responses: {
    201: jsonResponse("Created", z.object({ apiKey: ApiKey, secret: z.string().nullable() })),
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/api-keys",
  tags: ["api keys"],
  summary: "API keys of the organisation",
  middleware: inOrg("keys:manage"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(ApiKey)), ...errorResponses },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/api-keys/{keyId}",
  tags: ["api keys"],
  summary: "Revoke an API key",
  middleware: inOrg("keys:manage", requireStepUp),
  request: { params: OrgParams.extend({ keyId: idParam("keyId", "key_01jb3k…") }) },
  responses: { 200: jsonResponse("Revoked", ApiKey), ...errorResponses },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/api-keys/{keyId}/rotate",
  tags: ["api keys"],
  summary: "Give a key a new secret; the old one works until the overlap window ends",
  middleware: inOrg("keys:manage", requireStepUp, idempotent({ redact: ["secret"] })),
  request: {
    params: OrgParams.extend({ keyId: idParam("keyId", "key_01jb3k…") }),
    body: jsonBody(
      z.strictObject({
        overlapSeconds: z
          .number()
          .int()
          .min(0)
          .max(MAX_OVERLAP_SECONDS)
          .optional()
          .openapi({ description: "How long the old secret keeps working; default 3600" }),
      }),
    ),
  },
  responses: {
    200: jsonResponse("Rotated", z.object({ apiKey: ApiKey, secret: z.string().nullable() })),
    ...errorResponses,
  },
});

export const apiKeyRoutes = newRouter()
  .openapi(createKeyRoute, async (c) => {
    return c.json(await createApiKey({ ctx: orgContext(c), input: c.req.valid("json") }), 201);
  })
  .openapi(listRoute, async (c) => {
    return c.json(await listApiKeys({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
  })
  .openapi(rotateRoute, async (c) => {
    const input = { keyId: c.req.valid("param").keyId, ...c.req.valid("json") };
    return c.json(await rotateApiKey({ ctx: orgContext(c), input }), 200);
  })
  .openapi(revokeRoute, async (c) => {
    const input = { keyId: c.req.valid("param").keyId };
    return c.json(await revokeApiKey({ ctx: orgContext(c), input }), 200);
  });
