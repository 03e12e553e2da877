import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
import { listAuditLog } from "../services/audit-log/list.ts";

const AuditEvent = z
  .object({
    id: z.string(),
    actorType: z.string(),
    actorId: z.string(),
    action: z.string(),
    targetType: z.string(),
    targetId: z.string(),
    requestId: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    createdAt: Timestamp,
  })
  .openapi("AuditEvent");

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/audit-log",
  tags: ["audit"],
  summary: "The organisation's audit trail, newest first (admin)",
  middleware: inOrg("audit:read"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(AuditEvent)), ...errorResponses },
});

export const auditLogRoutes = newRouter().openapi(listRoute, async (c) => {
  return c.json(await listAuditLog({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
});
