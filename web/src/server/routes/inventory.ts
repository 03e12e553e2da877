import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, idParam, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
import { getInventoryAsset } from "../services/inventory/get.ts";
import { listInventory } from "../services/inventory/list.ts";

const InventoryItem = z
  .object({
    id: z.string(),
    accountId: z.string(),
    asset: z.record(z.string(), z.unknown()),
    updatedAt: Timestamp,
  })
  .openapi("InventoryItem");

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/inventory",
  tags: ["inventory"],
  summary: "The current inventory as canonical assets",
  middleware: inOrg("read"),
  request: {
    params: OrgParams,
    query: PageQuery.extend({
      accountId: z.string().max(64).optional(),
      kind: z
        .string()
        .regex(/^[a-z][a-z0-9_]*$/)
        .max(64)
        .optional(),
    }),
  },
  responses: { 200: jsonResponse("A page", pageSchema(InventoryItem)), ...errorResponses },
});

const InventoryAsset = InventoryItem.extend({
  objects: z
    .array(z.object({ id: z.string(), kind: z.string(), description: z.string().nullable() }))
    .openapi({ description: "Address objects of the draft policy that contain the asset" }),
}).openapi("InventoryAsset");

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/inventory/{assetId}",
  tags: ["inventory"],
  summary: "One asset with the address objects that contain it",
  middleware: inOrg("read"),
  request: {
    params: OrgParams.extend({ assetId: idParam("assetId", "ast_01jb3k0000000000000000000") }),
  },
  responses: { 200: jsonResponse("The asset", InventoryAsset), ...errorResponses },
});

export const inventoryRoutes = newRouter()
  .openapi(listRoute, async (c) =>
    c.json(await listInventory({ ctx: orgContext(c), input: c.req.valid("query") }), 200),
  )
  .openapi(getRoute, async (c) =>
    c.json(await getInventoryAsset({ ctx: orgContext(c), input: c.req.valid("param") }), 200),
  );
