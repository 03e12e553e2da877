import { createRoute, z } from "@hono/zod-openapi";
import { DATA_KEY_PURPOSES } from "@ringfence/db";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { orgEnforcementContext } from "../services/enforcers/http.ts";
import { listDataKeys } from "../services/keys/list-data-keys.ts";
import { rotateDataKeys } from "../services/keys/rotate-data-keys.ts";

const DataKey = z
  .object({
    id: z.string(),
    purpose: z.enum(DATA_KEY_PURPOSES),
    kekId: z.string().openapi({ description: "The KEK that wraps it (a fingerprint)" }),
    live: z.boolean().openapi({ description: "Seals new values; retired keys only open" }),
    sealedValues: z.number().int().openapi({ description: "Stored values it still seals" }),
    createdAt: Timestamp,
    retiredAt: Timestamp.nullable(),
  })
  .openapi("DataKey");

const DataKeyList = z.object({ items: z.array(DataKey) });

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/data-keys",
  tags: ["keys"],
  summary: "Data keys of the organisation and how many stored values each still seals",
  middleware: inOrg("keys:manage"),
  request: { params: OrgParams },
  responses: { 200: jsonResponse("The data keys", DataKeyList), ...errorResponses },
});

const rotateRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/data-keys/rotate",
  tags: ["keys"],
  summary: "Rotate data keys: new keys seal new values, old ones still open theirs",
  middleware: inOrg("keys:manage", requireStepUp),
  request: {
    params: OrgParams,
    body: jsonBody(
      z.strictObject({
        purposes: z
          .array(z.enum(DATA_KEY_PURPOSES))
          .min(1)
          .optional()
          .openapi({ description: "Which purposes to rotate; all when absent" }),
      }),
    ),
  },
  responses: { 200: jsonResponse("The new live keys", DataKeyList), ...errorResponses },
});

export const keyRoutes = newRouter()
  .openapi(listRoute, async (c) => {
    return c.json(await listDataKeys({ ctx: orgContext(c), input: {} }), 200);
  })
  .openapi(rotateRoute, async (c) => {
    const input = c.req.valid("json");
    return c.json(await rotateDataKeys({ ctx: orgEnforcementContext(c), input }), 200);
  });
