import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { orgContext } from "../http/context.ts";
import { PageQuery } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, idParam, jsonBody, jsonResponse, OrgParams } from "../http/schemas.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { createIntegration } from "../services/integrations/create.ts";
import { CreateIntegrationBody, UpdateIntegrationBody } from "../services/integrations/input.ts";
import type { ReportContext } from "../services/integrations/present.ts";
import { getIntegration, listIntegrations } from "../services/integrations/read.ts";
import { reportOf } from "../services/integrations/runtime.ts";
import { sendTestEvent } from "../services/integrations/send-test.ts";
import { deleteIntegration, updateIntegration } from "../services/integrations/update.ts";
import { BackfillBody, backfillDeliveries } from "../services/outbox/backfill.ts";
import { listAttempts, listDeliveries, replayDeliveries } from "../services/outbox/replay.ts";

// TODO(report): a dedicated "integrations:manage" permission in permissions.ts (not ours);
// until then integrations need admin through "keys:manage", since they hold secrets.
const MANAGE = "keys:manage";
const Params = OrgParams.extend({ integrationId: idParam("integrationId", "int_01jb3k…") });
const Result = z.record(z.string(), z.unknown()).openapi("Integration");
const Page = z.object({ items: z.array(Result), nextCursor: z.string().nullable() });

function reportContext(c: Context<AppEnv>): ReportContext {
  return { ...orgContext(c), report: reportOf(c) };
}

const routes = {
  list: createRoute({
    method: "get",
    path: "/api/v1/orgs/{orgId}/integrations",
    tags: ["integrations"],
    summary: "The organisation's integrations",
    middleware: inOrg(MANAGE),
    request: { params: OrgParams, query: PageQuery },
    responses: { 200: jsonResponse("A page", Page), ...errorResponses },
  }),
  create: createRoute({
    method: "post",
    path: "/api/v1/orgs/{orgId}/integrations",
    tags: ["integrations"],
    summary: "Add a webhook, Splunk HEC or syslog integration; the target is SSRF-judged",
    middleware: inOrg(MANAGE, requireStepUp, idempotent({ redact: ["secret"] })),
    request: { params: OrgParams, body: jsonBody(CreateIntegrationBody) },
    responses: {
      201: jsonResponse("Created; a generated webhook secret is shown once", Result),
      ...errorResponses,
    },
  }),
  get: createRoute({
    method: "get",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    tags: ["integrations"],
    summary: "One integration",
    middleware: inOrg(MANAGE),
    request: { params: Params },
    responses: { 200: jsonResponse("The integration", Result), ...errorResponses },
  }),
  update: createRoute({
    method: "patch",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    tags: ["integrations"],
    summary: "Change an integration",
    middleware: inOrg(MANAGE, requireStepUp),
    request: { params: Params, body: jsonBody(UpdateIntegrationBody) },
    responses: { 200: jsonResponse("Updated", Result), ...errorResponses },
  }),
  remove: createRoute({
    method: "delete",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    tags: ["integrations"],
    summary: "Delete an integration and its queue",
    middleware: inOrg(MANAGE, requireStepUp),
    request: { params: Params },
    responses: { 204: { description: "Deleted" }, ...errorResponses },
  }),
  deliveries: createRoute({
    method: "get",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/deliveries",
    tags: ["integrations"],
    summary: "Queued, delivered or dead-lettered deliveries",
    middleware: inOrg(MANAGE),
    request: {
      params: Params,
      query: PageQuery.extend({ state: z.enum(["pending", "delivered", "dead"]).default("dead") }),
    },
    responses: { 200: jsonResponse("A page", Page), ...errorResponses },
  }),
  attempts: createRoute({
    method: "get",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/attempts",
    tags: ["integrations"],
    summary: "The delivery log",
    middleware: inOrg(MANAGE),
    request: { params: Params, query: PageQuery },
    responses: { 200: jsonResponse("A page", Page), ...errorResponses },
  }),
  backfill: createRoute({
    method: "post",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/backfill",
    tags: ["integrations"],
    summary: "Queue stored events of a window (at most 31 days) that the integration never got",
    middleware: inOrg(MANAGE),
    request: { params: Params, body: jsonBody(BackfillBody) },
    responses: {
      200: jsonResponse("Queued", z.object({ queued: z.number(), capped: z.boolean() })),
      ...errorResponses,
    },
  }),
  test: createRoute({
    method: "post",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/test",
    tags: ["integrations"],
    summary: "Send one test event now and answer what the receiver said (logged as an attempt)",
    middleware: inOrg(MANAGE),
    request: { params: Params, body: jsonBody(z.strictObject({})) },
    responses: {
      200: jsonResponse(
        "Sent, or why not: a refusal by the receiver is an answer, not an error",
        z
          .object({
            ok: z.boolean(),
            outcome: z.enum(["delivered", "failed", "blocked"]),
            statusCode: z.number().int().nullable(),
            error: z.string().nullable(),
            durationMs: z.number().int(),
            eventUid: z.string(),
          })
          .openapi("IntegrationTestResult"),
      ),
      ...errorResponses,
    },
  }),
  replay: createRoute({
    method: "post",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/replay",
    tags: ["integrations"],
    summary: "Requeue dead-lettered deliveries (all, or the given ids)",
    middleware: inOrg(MANAGE),
    request: {
      params: Params,
      body: jsonBody(
        z.strictObject({ ids: z.array(z.number().int().positive()).max(1000).optional() }),
      ),
    },
    responses: {
      200: jsonResponse("Requeued", z.object({ replayed: z.number() })),
      ...errorResponses,
    },
  }),
};

export const integrationRoutes = newRouter()
  .openapi(routes.list, async (c) => {
    return c.json(
      await listIntegrations({ ctx: reportContext(c), input: c.req.valid("query") }),
      200,
    );
  })
  .openapi(routes.create, async (c) => {
    return c.json(
      await createIntegration({ ctx: reportContext(c), input: c.req.valid("json") }),
      201,
    );
  })
  .openapi(routes.get, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId };
    return c.json(await getIntegration({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.update, async (c) => {
    const input = {
      integrationId: c.req.valid("param").integrationId,
      changes: c.req.valid("json"),
    };
    return c.json(await updateIntegration({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.remove, async (c) => {
    await deleteIntegration({
      ctx: reportContext(c),
      input: { integrationId: c.req.valid("param").integrationId },
    });
    return c.body(null, 204);
  })
  .openapi(routes.deliveries, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId, ...c.req.valid("query") };
    return c.json(await listDeliveries({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.attempts, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId, ...c.req.valid("query") };
    return c.json(await listAttempts({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.backfill, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId, ...c.req.valid("json") };
    return c.json(await backfillDeliveries({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.test, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId };
    return c.json(await sendTestEvent({ ctx: reportContext(c), input }), 200);
  })
  .openapi(routes.replay, async (c) => {
    const input = { integrationId: c.req.valid("param").integrationId, ...c.req.valid("json") };
    return c.json(await replayDeliveries({ ctx: reportContext(c), input }), 200);
  });
