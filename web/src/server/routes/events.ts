import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams } from "../http/schemas.ts";
import { getEvent } from "../services/events/get.ts";
import { EventsQuery, listEvents } from "../services/events/list.ts";

const StoredEvent = z.record(z.string(), z.unknown()).openapi("StoredEvent");

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/events",
  tags: ["events"],
  summary: "Decision events, newest first, filtered by time, action, kind, rule, source, enforcer",
  middleware: inOrg("read"),
  request: { params: OrgParams, query: EventsQuery },
  responses: {
    200: jsonResponse(
      "A page",
      z.object({ items: z.array(StoredEvent), nextCursor: z.string().nullable() }),
    ),
    ...errorResponses,
  },
});

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/events/{eventId}",
  tags: ["events"],
  summary: "One event with its reasons, detections and OCSF form",
  middleware: inOrg("read"),
  request: { params: OrgParams.extend({ eventId: z.uuid() }) },
  responses: { 200: jsonResponse("The event", StoredEvent), ...errorResponses },
});

export const eventRoutes = newRouter()
  .openapi(listRoute, async (c) => {
    return c.json(await listEvents({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
  })
  .openapi(getRoute, async (c) => {
    const input = { eventId: c.req.valid("param").eventId };
    return c.json(await getEvent({ ctx: orgContext(c), input }), 200);
  });
