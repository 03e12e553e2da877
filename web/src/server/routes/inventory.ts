import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
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

export const inventoryRoutes = newRouter().openapi(listRoute, async (c) =>
  c.json(await listInventory({ ctx: orgContext(c), input: c.req.valid("query") }), 200),
);
