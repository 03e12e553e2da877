import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams } from "../http/schemas.ts";
import { listPostureFindings } from "../services/posture/list.ts";

const list = z.preprocess(
  (value) => (typeof value === "string" ? value.split(",").filter(Boolean) : []),
  z.array(z.string().max(512)).max(100),
);

const Finding = z
  .object({
    assetId: z.string(),
    kind: z.string(),
    severity: z.string(),
    message: z.string(),
    fix: z.object({ format: z.string(), document: z.unknown() }),
  })
  .openapi("PostureFinding");

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/posture",
  tags: ["posture"],
  summary: "Posture findings with the fragment that closes each",
  middleware: inOrg("read"),
  request: {
    params: OrgParams,
    query: z.strictObject({
      vpce: list.optional().openapi({ description: "Gateway VPC endpoint ids, comma-separated" }),
      egressIp: list.optional(),
      subnet: list.optional(),
    }),
  },
  responses: {
    200: jsonResponse("Findings", z.object({ items: z.array(Finding) })),
    ...errorResponses,
  },
});

export const postureRoutes = newRouter().openapi(listRoute, async (c) => {
  const query = c.req.valid("query");
  const input = {
    awsVpcEndpointIds: query.vpce ?? [],
    egressIps: query.egressIp ?? [],
    azureSubnetIds: query.subnet ?? [],
  };
  return c.json(await listPostureFindings({ ctx: orgContext(c), input }), 200);
});
