import { createRoute, z } from "@hono/zod-openapi";
import { ENGINE_VERSION } from "@ringfence/engine";
import { apiActivityOf } from "@ringfence/engine/ocsf";
import { orgContext } from "../http/context.ts";
import { PageQuery } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams } from "../http/schemas.ts";
import { listAuditLog } from "../services/audit-log/list.ts";

const exportRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/audit-log/ocsf",
  tags: ["audit"],
  summary: "The audit trail as OCSF API Activity (6003), newest first (admin)",
  middleware: inOrg("audit:read"),
  request: { params: OrgParams, query: PageQuery },
  responses: {
    200: jsonResponse(
      "A page of OCSF events",
      z.object({
        items: z.array(z.record(z.string(), z.unknown())),
        nextCursor: z.string().nullable(),
      }),
    ),
    ...errorResponses,
  },
});

/** The audit export reads the audit log's own page and maps each entry with the OCSF builder. */
export const auditExportRoutes = newRouter().openapi(exportRoute, async (c) => {
  const ctx = orgContext(c);
  const page = await listAuditLog({ ctx, input: c.req.valid("query") });
  const items = page.items.map((entry) =>
    apiActivityOf(
      { ...entry, organizationId: ctx.organizationId, createdAt: new Date(entry.createdAt) },
      ENGINE_VERSION,
    ),
  );
  return c.json({ items, nextCursor: page.nextCursor }, 200);
});
