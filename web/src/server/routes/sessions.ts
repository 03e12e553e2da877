import { createRoute, z } from "@hono/zod-openapi";
import { orgContext, serviceContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  OrgParams,
  Timestamp,
} from "../http/schemas.ts";
import { requireUser, sessionIdOf } from "../middleware/access.ts";
import { listSessions } from "../services/sessions/list.ts";
import { revokeAllSessions, revokeSession } from "../services/sessions/revoke.ts";
import { revokeMemberSessions } from "../services/sessions/revoke-member.ts";

const SessionSchema = z
  .object({
    id: z.string(),
    createdAt: Timestamp,
    lastSeenAt: Timestamp,
    expiresAt: Timestamp.openapi({
      description: "When it ends unless used again (idle or absolute)",
    }),
    absoluteExpiresAt: Timestamp,
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    method: z.enum(["password", "sso"]),
    current: z.boolean(),
  })
  .openapi("Session");

const Revoked = z.object({ revoked: z.number().int() });

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/me/sessions",
  tags: ["sessions"],
  summary: "The signed-in user's live sessions",
  middleware: [requireUser],
  responses: {
    200: jsonResponse("Sessions", z.object({ items: z.array(SessionSchema) })),
    ...errorResponses,
  },
});

const revokeRoute = createRoute({
  method: "delete",
  path: "/api/v1/me/sessions/{sessionId}",
  tags: ["sessions"],
  summary: "End one of your sessions (its next request is anonymous)",
  middleware: [requireUser],
  request: { params: z.strictObject({ sessionId: idParam("sessionId", "ses_01jb3k…") }) },
  responses: { 204: { description: "Ended" }, ...errorResponses },
});

const revokeAllRoute = createRoute({
  method: "post",
  path: "/api/v1/me/sessions/revoke-all",
  tags: ["sessions"],
  summary: "End all your sessions, or all but this one",
  middleware: [requireUser],
  request: { body: jsonBody(z.strictObject({ exceptCurrent: z.boolean().default(false) })) },
  responses: { 200: jsonResponse("Ended", Revoked), ...errorResponses },
});

const revokeMemberRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/members/{memberId}/sessions",
  tags: ["sessions"],
  summary: "Sign a member out of every session",
  middleware: inOrg("members:manage"),
  request: { params: OrgParams.extend({ memberId: idParam("memberId", "mem_01jb3k…") }) },
  responses: { 200: jsonResponse("Ended", Revoked), ...errorResponses },
});

export const sessionRoutes = newRouter()
  .openapi(listRoute, async (c) => {
    const input = { currentSessionId: sessionIdOf(c) };
    return c.json(await listSessions({ ctx: serviceContext(c), input }), 200);
  })
  .openapi(revokeRoute, async (c) => {
    await revokeSession({ ctx: serviceContext(c), input: c.req.valid("param") });
    return c.body(null, 204);
  })
  .openapi(revokeAllRoute, async (c) => {
    const input = { ...c.req.valid("json"), currentSessionId: sessionIdOf(c) };
    return c.json(await revokeAllSessions({ ctx: serviceContext(c), input }), 200);
  })
  .openapi(revokeMemberRoute, async (c) => {
    const input = { memberId: c.req.valid("param").memberId };
    return c.json(await revokeMemberSessions({ ctx: orgContext(c), input }), 200);
  });
