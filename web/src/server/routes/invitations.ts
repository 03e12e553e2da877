import { createRoute, z } from "@hono/zod-openapi";
import { orgContext, serviceContext } from "../http/context.ts";
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
import { requireUser } from "../middleware/access.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { acceptInvitation } from "../services/invitations/accept.ts";
import { createInvitation } from "../services/invitations/create.ts";
import { listInvitations } from "../services/invitations/list.ts";
import { revokeInvitation } from "../services/invitations/revoke.ts";

const Invitation = z
  .object({
    id: z.string(),
    email: z.string(),
    role: RoleSchema,
    status: z.enum(["pending", "accepted", "revoked", "expired"]),
    invitedBy: z.string().nullable(),
    expiresAt: Timestamp,
    createdAt: Timestamp,
  })
  .openapi("Invitation");

const InvitationParams = OrgParams.extend({
  invitationId: idParam("invitationId", "inv_01jb3k…"),
});

const createInvitationRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/invitations",
  tags: ["members"],
  summary: "Invite an email address with a role; the token is shown once",
  middleware: inOrg("members:manage", idempotent({ redact: ["token"] })),
  request: {
    params: OrgParams,
    body: jsonBody(z.strictObject({ email: z.email().max(254), role: RoleSchema })),
  },
  responses: {
    201: jsonResponse(
      "Invited",
      z.object({ invitation: Invitation, token: z.string().nullable() }),
    ),
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/invitations",
  tags: ["members"],
  summary: "Invitations of the organisation",
  middleware: inOrg("members:manage"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(Invitation)), ...errorResponses },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/invitations/{invitationId}",
  tags: ["members"],
  summary: "Withdraw an invitation",
  middleware: inOrg("members:manage"),
  request: { params: InvitationParams },
  responses: { 200: jsonResponse("Revoked", Invitation), ...errorResponses },
});

const acceptRoute = createRoute({
  method: "post",
  path: "/api/v1/invitations/accept",
  tags: ["members"],
  summary: "Accept an invitation as the signed-in user",
  middleware: [requireUser],
  request: { body: jsonBody(z.strictObject({ token: z.string().min(1).max(200) })) },
  responses: {
    200: jsonResponse("Joined", z.object({ organization: z.object({ id: z.string() }).loose() })),
    ...errorResponses,
  },
});

export const invitationRoutes = newRouter()
  .openapi(createInvitationRoute, async (c) => {
    const result = await createInvitation({ ctx: orgContext(c), input: c.req.valid("json") });
    return c.json(result, 201);
  })
  .openapi(listRoute, async (c) => {
    return c.json(await listInvitations({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
  })
  .openapi(revokeRoute, async (c) => {
    const input = { invitationId: c.req.valid("param").invitationId };
    return c.json(await revokeInvitation({ ctx: orgContext(c), input }), 200);
  })
  .openapi(acceptRoute, async (c) => {
    const organization = await acceptInvitation({
      ctx: serviceContext(c),
      input: c.req.valid("json"),
    });
    return c.json({ organization }, 200);
  });
