import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  OrgParams,
  RoleSchema,
  Timestamp,
} from "../http/schemas.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { listMembers } from "../services/members/list.ts";
import { removeMember } from "../services/members/remove.ts";
import { updateMemberRole } from "../services/members/update-role.ts";

const Member = z
  .object({
    id: z.string(),
    userId: z.string(),
    email: z.string(),
    name: z.string(),
    role: RoleSchema,
    createdAt: Timestamp,
  })
  .openapi("Member");

const MemberParams = OrgParams.extend({ memberId: idParam("memberId", "mem_01jb3k…") });

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/members",
  tags: ["members"],
  summary: "Members of the organisation",
  middleware: inOrg("read"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(Member)), ...errorResponses },
});

const updateRoute = createRoute({
  method: "patch",
  path: "/api/v1/orgs/{orgId}/members/{memberId}",
  tags: ["members"],
  summary: "Change a member's role (admin; owner for owners)",
  middleware: inOrg("members:manage", requireStepUp),
  request: { params: MemberParams, body: jsonBody(z.strictObject({ role: RoleSchema })) },
  responses: { 200: jsonResponse("Updated", Member), ...errorResponses },
});

const removeRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/members/{memberId}",
  tags: ["members"],
  summary: "Remove a member (admin; owner for owners)",
  middleware: inOrg("members:manage"),
  request: { params: MemberParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export const memberRoutes = newRouter()
  .openapi(listRoute, async (c) => {
    return c.json(await listMembers({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
  })
  .openapi(updateRoute, async (c) => {
    const input = { memberId: c.req.valid("param").memberId, ...c.req.valid("json") };
    return c.json(await updateMemberRole({ ctx: orgContext(c), input }), 200);
  })
  .openapi(removeRoute, async (c) => {
    await removeMember({ ctx: orgContext(c), input: { memberId: c.req.valid("param").memberId } });
    return c.body(null, 204);
  });
