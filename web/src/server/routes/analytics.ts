import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonResponse, OrgParams } from "../http/schemas.ts";
import { enforcerStatus } from "../services/analytics/enforcers.ts";
import {
  decisionsOverTime,
  detectionsByCategory,
  ruleHits,
  topEndpoints,
} from "../services/analytics/summary.ts";
import { TopEndpointsQuery, WindowQuery } from "../services/analytics/window.ts";

const Result = z.record(z.string(), z.unknown()).openapi("AnalyticsResult");

function analyticsRoute(path: string, summary: string, query = WindowQuery) {
  return createRoute({
    method: "get",
    path: `/api/v1/orgs/{orgId}/analytics/${path}`,
    tags: ["analytics"],
    summary,
    middleware: inOrg("read"),
    request: { params: OrgParams, query },
    responses: { 200: jsonResponse("The result", Result), ...errorResponses },
  });
}

const enforcersRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/analytics/enforcers",
  tags: ["analytics"],
  summary: "Each enforcer's status, enforced bundle version and drift",
  middleware: inOrg("read"),
  request: { params: OrgParams },
  responses: { 200: jsonResponse("The result", Result), ...errorResponses },
});

export const analyticsRoutes = newRouter()
  .openapi(analyticsRoute("decisions", "Allowed, denied and monitored per bucket"), async (c) => {
    return c.json(
      await decisionsOverTime({ ctx: orgContext(c), input: c.req.valid("query") }),
      200,
    );
  })
  .openapi(
    analyticsRoute("top-sources", "Busiest source addresses", TopEndpointsQuery),
    async (c) => {
      const input = { ...c.req.valid("query"), side: "src" as const };
      return c.json(await topEndpoints({ ctx: orgContext(c), input }), 200);
    },
  )
  .openapi(
    analyticsRoute("top-destinations", "Busiest destinations (host:port)", TopEndpointsQuery),
    async (c) => {
      const input = { ...c.req.valid("query"), side: "dst" as const };
      return c.json(await topEndpoints({ ctx: orgContext(c), input }), 200);
    },
  )
  .openapi(analyticsRoute("rules", "Hits per rule with first and last hit"), async (c) => {
    return c.json(await ruleHits({ ctx: orgContext(c), input: c.req.valid("query") }), 200);
  })
  .openapi(analyticsRoute("detections", "Detections by category and severity"), async (c) => {
    return c.json(
      await detectionsByCategory({ ctx: orgContext(c), input: c.req.valid("query") }),
      200,
    );
  })
  .openapi(enforcersRoute, async (c) => {
    return c.json(await enforcerStatus({ ctx: orgContext(c), input: {} }), 200);
  });
