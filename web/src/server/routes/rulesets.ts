import { createRoute, z } from "@hono/zod-openapi";
import { ruleSchema, ruleSetSchema } from "@ringfence/engine/documents";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, idParam, jsonBody, jsonResponse, OrgParams } from "../http/schemas.ts";
import { idempotent } from "../middleware/idempotency.ts";
import {
  createRuleSet,
  deleteRuleSet,
  getRuleSet,
  listRuleSets,
  reorderRuleSets,
  updateRuleSet,
} from "../services/rulesets/crud.ts";
import { createRule, deleteRule, reorderRules, updateRule } from "../services/rulesets/rules.ts";

const base = "/api/v1/orgs/{orgId}/rule-sets";
const SetParams = OrgParams.extend({ ruleSetId: idParam("ruleSetId", "default") });
const RuleParams = SetParams.extend({ ruleId: idParam("ruleId", "allow-web") });
const Position = z.number().int().min(0).optional();
const Order = z.strictObject({ ids: z.array(z.string().min(1)).max(100_000) });
const Answer = z.object({ revision: z.number().int() }).passthrough();
const ok = (description: string) => ({ 200: jsonResponse(description, Answer), ...errorResponses });
const tags = ["rule sets"];

const routes = {
  list: createRoute({
    method: "get",
    path: base,
    tags,
    summary: "Rule sets in evaluation order",
    middleware: inOrg("read"),
    request: { params: OrgParams },
    responses: ok("Rule sets"),
  }),
  create: createRoute({
    method: "post",
    path: base,
    tags,
    summary: "Add a rule set",
    middleware: inOrg("policy:write", idempotent()),
    request: {
      params: OrgParams,
      body: jsonBody(z.strictObject({ ruleSet: ruleSetSchema, position: Position })),
    },
    responses: { 201: jsonResponse("Created", Answer), ...errorResponses },
  }),
  order: createRoute({
    method: "put",
    path: `${base}/order`,
    tags,
    summary: "Reorder the rule sets (every id once)",
    middleware: inOrg("policy:write"),
    request: { params: OrgParams, body: jsonBody(Order) },
    responses: ok("Reordered"),
  }),
  get: createRoute({
    method: "get",
    path: `${base}/{ruleSetId}`,
    tags,
    summary: "One rule set",
    middleware: inOrg("read"),
    request: { params: SetParams },
    responses: ok("The rule set"),
  }),
  update: createRoute({
    method: "put",
    path: `${base}/{ruleSetId}`,
    tags,
    summary: "Change a rule set's name and default action",
    middleware: inOrg("policy:write"),
    request: {
      params: SetParams,
      body: jsonBody(ruleSetSchema.pick({ name: true, defaultAction: true }).strict()),
    },
    responses: ok("Saved"),
  }),
  remove: createRoute({
    method: "delete",
    path: `${base}/{ruleSetId}`,
    tags,
    summary: "Remove a rule set and its rules",
    middleware: inOrg("policy:write"),
    request: { params: SetParams },
    responses: ok("Removed"),
  }),
  addRule: createRoute({
    method: "post",
    path: `${base}/{ruleSetId}/rules`,
    tags,
    summary: "Add a rule at a position (default last)",
    middleware: inOrg("policy:write", idempotent()),
    request: {
      params: SetParams,
      body: jsonBody(z.strictObject({ rule: ruleSchema, position: Position })),
    },
    responses: { 201: jsonResponse("Created", Answer), ...errorResponses },
  }),
  ruleOrder: createRoute({
    method: "put",
    path: `${base}/{ruleSetId}/rules/order`,
    tags,
    summary: "Reorder a rule set's rules (every rule id once)",
    middleware: inOrg("policy:write"),
    request: { params: SetParams, body: jsonBody(Order) },
    responses: ok("Reordered"),
  }),
  putRule: createRoute({
    method: "put",
    path: `${base}/{ruleSetId}/rules/{ruleId}`,
    tags,
    summary: "Replace a rule in place (monitor mode is its `monitor` field)",
    middleware: inOrg("policy:write"),
    request: { params: RuleParams, body: jsonBody(ruleSchema) },
    responses: ok("Saved"),
  }),
  deleteRule: createRoute({
    method: "delete",
    path: `${base}/{ruleSetId}/rules/{ruleId}`,
    tags,
    summary: "Remove a rule",
    middleware: inOrg("policy:write"),
    request: { params: RuleParams },
    responses: ok("Removed"),
  }),
};

/** Rule sets and their ordered rules in the draft. */
export const ruleSetRoutes = newRouter()
  .openapi(routes.list, async (c) =>
    c.json(await listRuleSets({ ctx: orgContext(c), input: undefined }), 200),
  )
  .openapi(routes.create, async (c) =>
    c.json(await createRuleSet({ ctx: orgContext(c), input: c.req.valid("json") }), 201),
  )
  .openapi(routes.order, async (c) =>
    c.json(await reorderRuleSets({ ctx: orgContext(c), input: c.req.valid("json") }), 200),
  )
  .openapi(routes.get, async (c) => {
    const input = { id: c.req.valid("param").ruleSetId };
    return c.json(await getRuleSet({ ctx: orgContext(c), input }), 200);
  })
  .openapi(routes.update, async (c) => {
    const input = { id: c.req.valid("param").ruleSetId, header: c.req.valid("json") };
    return c.json(await updateRuleSet({ ctx: orgContext(c), input }), 200);
  })
  .openapi(routes.remove, async (c) => {
    const input = { id: c.req.valid("param").ruleSetId };
    return c.json(await deleteRuleSet({ ctx: orgContext(c), input }), 200);
  })
  .openapi(routes.addRule, async (c) => {
    const input = { ruleSetId: c.req.valid("param").ruleSetId, ...c.req.valid("json") };
    return c.json(await createRule({ ctx: orgContext(c), input }), 201);
  })
  .openapi(routes.ruleOrder, async (c) => {
    const input = { ruleSetId: c.req.valid("param").ruleSetId, ...c.req.valid("json") };
    return c.json(await reorderRules({ ctx: orgContext(c), input }), 200);
  })
  .openapi(routes.putRule, async (c) => {
    const { ruleSetId, ruleId } = c.req.valid("param");
    const input = { ruleSetId, ruleId, rule: c.req.valid("json") };
    return c.json(await updateRule({ ctx: orgContext(c), input }), 200);
  })
  .openapi(routes.deleteRule, async (c) => {
    const { ruleSetId, ruleId } = c.req.valid("param");
    return c.json(await deleteRule({ ctx: orgContext(c), input: { ruleSetId, ruleId } }), 200);
  });
