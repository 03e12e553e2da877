import type { OpenAPIHono } from "@hono/zod-openapi";
import { createRoute, z } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { orgContext } from "../http/context.ts";
import { PageQuery } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, OrgParams } from "../http/schemas.ts";
import { orgEnforcementContext } from "../services/enforcers/http.ts";
import { loadDraft } from "../services/policy/draft.ts";
import { applyPolicyText, diffPolicyText, exportPolicy } from "../services/policy/text.ts";
import { ruleHits } from "../services/publish/hits.ts";
import { publishDraft } from "../services/publish/publish.ts";
import { recompileIfMembershipChanged } from "../services/publish/recompile.ts";
import { rollbackToVersion } from "../services/publish/rollback.ts";
import { listVersions } from "../services/publish/versions.ts";
import { objectRoutes } from "./objects.ts";
import { profileRoutes } from "./profiles.ts";
import { ruleSetRoutes } from "./rulesets.ts";
import { serviceObjectRoutes } from "./services.ts";
import { simulateRoutes } from "./simulate.ts";

const base = "/api/v1/orgs/{orgId}/policy";
const tags = ["policy"];
const Any = z.object({}).passthrough();
const Text = z.strictObject({
  text: z
    .string()
    .min(1)
    .max(8 << 20),
});
const ok = (description: string) => ({ 200: jsonResponse(description, Any), ...errorResponses });

const routes = {
  draft: createRoute({
    method: "get",
    path: `${base}/draft`,
    tags,
    summary: "The draft policy document and its revision",
    middleware: inOrg("read"),
    request: { params: OrgParams },
    responses: ok("The draft"),
  }),
  export: createRoute({
    method: "get",
    path: `${base}/export`,
    tags,
    summary: "The draft (or the published policy) as the canonical YAML document",
    middleware: inOrg("read"),
    request: {
      params: OrgParams,
      query: z.strictObject({ source: z.enum(["draft", "published"]).default("draft") }),
    },
    responses: {
      200: { description: "YAML", content: { "application/yaml": { schema: z.string() } } },
      ...errorResponses,
    },
  }),
  diff: createRoute({
    method: "post",
    path: `${base}/diff`,
    tags,
    summary: "What applying this policy text would change in the draft",
    middleware: inOrg("read"),
    request: { params: OrgParams, body: jsonBody(Text) },
    responses: ok("The diff"),
  }),
  apply: createRoute({
    method: "post",
    path: `${base}/apply`,
    tags,
    summary: "Make the draft equal to this policy text (all or nothing)",
    middleware: inOrg("policy:write"),
    request: { params: OrgParams, body: jsonBody(Text) },
    responses: ok("Applied"),
  }),
  publish: createRoute({
    method: "post",
    path: `${base}/publish`,
    tags,
    summary: "Compile the draft with the current inventory and publish it as a signed bundle",
    middleware: inOrg("policy:write"),
    request: { params: OrgParams, body: jsonBody(z.strictObject({})) },
    responses: { 201: jsonResponse("Published", Any), ...errorResponses },
  }),
  versions: createRoute({
    method: "get",
    path: `${base}/versions`,
    tags,
    summary: "Published versions with their diffs, newest first",
    middleware: inOrg("read"),
    request: { params: OrgParams, query: PageQuery },
    responses: ok("A page"),
  }),
  rollback: createRoute({
    method: "post",
    path: `${base}/versions/{version}/rollback`,
    tags,
    summary: "Republish an earlier version as a new one and make it the draft",
    middleware: inOrg("policy:write"),
    request: {
      body: jsonBody(z.strictObject({})),
      params: OrgParams.extend({
        version: z.coerce
          .number()
          .int()
          .positive()
          .openapi({ param: { name: "version", in: "path" } }),
      }),
    },
    responses: { 201: jsonResponse("Published", Any), ...errorResponses },
  }),
  recompile: createRoute({
    method: "post",
    path: `${base}/recompile`,
    tags,
    summary: "Recompile the running policy with the current inventory; publish if it changed",
    middleware: inOrg("policy:write"),
    request: { params: OrgParams, body: jsonBody(z.strictObject({})) },
    responses: ok("The publication, or null"),
  }),
  hits: createRoute({
    method: "get",
    path: `${base}/hits`,
    tags,
    summary: "Rule hit counters from reported decision events",
    middleware: inOrg("read"),
    request: { params: OrgParams, query: z.strictObject({ since: z.iso.datetime().optional() }) },
    responses: ok("Counters"),
  }),
};

const policyRoutes = newRouter()
  .openapi(routes.draft, async (c) => {
    const ctx = orgContext(c);
    return c.json({ ...(await loadDraft(ctx.db, ctx.organizationId)) } as never, 200);
  })
  .openapi(routes.export, async (c) => {
    const text = await exportPolicy({ ctx: orgContext(c), input: c.req.valid("query") });
    return c.text(text, 200, { "content-type": "application/yaml; charset=utf-8" });
  })
  .openapi(routes.diff, async (c) =>
    c.json(
      (await diffPolicyText({ ctx: orgContext(c), input: c.req.valid("json") })) as never,
      200,
    ),
  )
  .openapi(routes.apply, async (c) =>
    c.json(
      (await applyPolicyText({ ctx: orgContext(c), input: c.req.valid("json") })) as never,
      200,
    ),
  )
  .openapi(routes.publish, async (c) =>
    c.json((await publishDraft({ ctx: orgEnforcementContext(c), input: {} })) as never, 201),
  )
  .openapi(routes.versions, async (c) =>
    c.json((await listVersions({ ctx: orgContext(c), input: c.req.valid("query") })) as never, 200),
  )
  .openapi(routes.rollback, async (c) => {
    const input = { version: c.req.valid("param").version };
    return c.json(
      (await rollbackToVersion({ ctx: orgEnforcementContext(c), input })) as never,
      201,
    );
  })
  .openapi(routes.recompile, async (c) => {
    const publication = await recompileIfMembershipChanged({
      ctx: orgEnforcementContext(c),
      input: {},
    });
    return c.json({ publication } as never, 200);
  })
  .openapi(routes.hits, async (c) => {
    const since = c.req.valid("query").since;
    const input = { since: since === undefined ? undefined : new Date(since) };
    return c.json((await ruleHits({ ctx: orgContext(c), input })) as never, 200);
  });

/**
 * Every router of Deploy, for `routes/index.ts` to spread into `routers`: policy documents,
 * publication, address objects, service objects, rule sets, profiles and simulation.
 */
export const deployRouters: OpenAPIHono<AppEnv>[] = [
  policyRoutes,
  objectRoutes,
  serviceObjectRoutes,
  ruleSetRoutes,
  profileRoutes,
  simulateRoutes,
];
