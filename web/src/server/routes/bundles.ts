import { createRoute, z } from "@hono/zod-openapi";
import { bundleEnvelopeSchema } from "@ringfence/engine/bundle";
import { MAX_BUNDLE_WAIT_SECONDS } from "@ringfence/engine/control";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, OrgParams, Timestamp } from "../http/schemas.ts";
import { awaitBundle } from "../services/bundles/deliver.ts";
import { listBundles } from "../services/bundles/list.ts";
import { publishBundle } from "../services/bundles/publish.ts";
import { rollbackBundle } from "../services/bundles/rollback.ts";
import {
  enforcerContext,
  orgEnforcementContext,
  requireEnforcer,
} from "../services/enforcers/http.ts";

const Bundle = z
  .object({
    id: z.string(),
    version: z.number().int(),
    hash: z.string(),
    keyId: z.string(),
    handover: z.boolean(),
    rollbackOf: z.number().int().nullable(),
    createdBy: z.string().nullable(),
    createdAt: Timestamp,
  })
  .openapi("Bundle");

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/bundles",
  tags: ["bundles"],
  summary: "Signed bundles of the organisation, newest first",
  middleware: inOrg("read"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(Bundle)), ...errorResponses },
});

const publishRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/bundles",
  tags: ["bundles"],
  summary: "Compile a policy against an inventory and publish it as the next signed bundle",
  middleware: inOrg("policy:write"),
  request: {
    params: OrgParams,
    body: jsonBody(z.strictObject({ policy: z.unknown(), inventory: z.unknown() })),
  },
  responses: { 201: jsonResponse("Published", Bundle), ...errorResponses },
});

const rollbackRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/bundles/{version}/rollback",
  tags: ["bundles"],
  summary: "Republish an earlier version's content as a new, higher version",
  middleware: inOrg("policy:write"),
  request: {
    params: OrgParams.extend({
      version: z.coerce
        .number()
        .int()
        .positive()
        .openapi({ param: { name: "version", in: "path" } }),
    }),
  },
  responses: { 201: jsonResponse("Published", Bundle), ...errorResponses },
});

const deliverRoute = createRoute({
  method: "get",
  path: "/api/v1/enforcer/bundle",
  tags: ["enforcer protocol"],
  summary: "The newest bundle; with If-None-Match the request parks until a newer one exists",
  middleware: [requireEnforcer],
  request: {
    query: z.strictObject({
      wait: z.coerce.number().int().min(0).max(MAX_BUNDLE_WAIT_SECONDS).default(30),
    }),
  },
  responses: {
    200: jsonResponse("The signed envelope", bundleEnvelopeSchema),
    204: { description: "No bundle has been published yet" },
    304: { description: "The bundle named by If-None-Match is still the newest" },
    400: errorResponses[400],
    401: errorResponses[401],
  },
});

/** The hash inside `If-None-Match: "<hash>"` (a weak `W/` prefix is accepted). */
function heldHash(header: string | undefined): string | undefined {
  return /^(?:W\/)?"([0-9a-f]{64})"$/.exec(header?.trim() ?? "")?.[1];
}

export const bundleRoutes = newRouter()
  .openapi(listRoute, async (c) => {
    return c.json(
      await listBundles({ ctx: orgEnforcementContext(c), input: c.req.valid("query") }),
      200,
    );
  })
  .openapi(publishRoute, async (c) => {
    return c.json(
      await publishBundle({ ctx: orgEnforcementContext(c), input: c.req.valid("json") }),
      201,
    );
  })
  .openapi(rollbackRoute, async (c) => {
    const input = { version: c.req.valid("param").version };
    return c.json(await rollbackBundle({ ctx: orgEnforcementContext(c), input }), 201);
  })
  .openapi(deliverRoute, async (c) => {
    const ctx = enforcerContext(c);
    const held = heldHash(c.req.header("if-none-match"));
    const input = {
      heldHash: held,
      waitSeconds: c.req.valid("query").wait,
      signal: c.req.raw.signal,
    };
    const delivery = await awaitBundle({ ctx, input });
    c.header("cache-control", "no-store");

    if (delivery.status === "bundle") {
      c.header("etag", `"${delivery.bundle.hash}"`);
      c.header("x-ringfence-bundle-version", String(delivery.bundle.version));
      return c.json(delivery.bundle.envelope, 200);
    }
    if (held === undefined) {
      return c.body(null, 204);
    }
    c.header("etag", `"${held}"`);
    return c.body(null, 304);
  });
