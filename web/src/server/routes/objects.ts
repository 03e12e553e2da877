import { createRoute, z } from "@hono/zod-openapi";
import { addressObjectSchema } from "@ringfence/engine/documents";
import type { OrgContext } from "../context.ts";
import { orgContext } from "../http/context.ts";
import { type PageInput, PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, idParam, jsonBody, jsonResponse, OrgParams } from "../http/schemas.ts";
import { idempotent } from "../middleware/idempotency.ts";
import {
  createObject,
  deleteObject,
  getObject,
  listObjects,
  updateObject,
} from "../services/objects/crud.ts";
import { previewObjectEdit, previewSelector } from "../services/objects/preview.ts";

const base = "/api/v1/orgs/{orgId}/objects";
const ItemParams = OrgParams.extend({ objectId: idParam("objectId", "web-tier") });
const Item = z.object({ item: z.unknown(), revision: z.number().int() });
const scope = z
  .strictObject({
    accounts: z.array(z.string().min(1)).min(1).optional(),
    regions: z.array(z.string().min(1)).min(1).optional(),
    vpcs: z.array(z.string().min(1)).min(1).optional(),
  })
  .optional();
const PreviewAsset = z.object({
  id: z.string(),
  name: z.string().nullable(),
  kind: z.string(),
  account: z.string(),
  region: z.string(),
  addresses: z.object({ private: z.array(z.string()), public: z.array(z.string()) }),
});
const Changes = z.object({ added: z.array(z.string()), removed: z.array(z.string()) });

/** How one keyed list of the draft is exposed: its path, names, body schema and verbs. */
export interface ItemRoutesSpec<B extends z.ZodType> {
  segment: string;
  param: string;
  tag: string;
  noun: string;
  body: B;
  verbs: {
    list: (call: { ctx: OrgContext; input: PageInput }) => Promise<unknown>;
    get: (call: { ctx: OrgContext; input: { id: string } }) => Promise<unknown>;
    create: (call: { ctx: OrgContext; input: { item: z.output<B> } }) => Promise<unknown>;
    update: (call: {
      ctx: OrgContext;
      input: { id: string; item: z.output<B> };
    }) => Promise<unknown>;
    remove: (call: { ctx: OrgContext; input: { id: string } }) => Promise<unknown>;
  };
}

/** The five routes of a keyed list: list, create, get, replace, delete. */
export function itemRoutes<B extends z.ZodType>(spec: ItemRoutesSpec<B>) {
  const path = `/api/v1/orgs/{orgId}/${spec.segment}`;
  const Params = OrgParams.extend({ [spec.param]: idParam(spec.param, "web-tier") });
  const at = `${path}/{${spec.param}}`;
  const tags = [spec.tag];
  const routes = {
    list: createRoute({
      method: "get",
      path,
      tags,
      summary: `The draft's ${spec.noun}s, by id`,
      middleware: inOrg("read"),
      request: { params: OrgParams, query: PageQuery },
      responses: { 200: jsonResponse("A page", pageSchema(z.unknown())), ...errorResponses },
    }),
    create: createRoute({
      method: "post",
      path,
      tags,
      summary: `Add a ${spec.noun} to the draft`,
      middleware: inOrg("policy:write", idempotent()),
      request: { params: OrgParams, body: jsonBody(spec.body) },
      responses: { 201: jsonResponse("Created", Item), ...errorResponses },
    }),
    get: createRoute({
      method: "get",
      path: at,
      tags,
      summary: `One ${spec.noun} of the draft`,
      middleware: inOrg("read"),
      request: { params: Params },
      responses: { 200: jsonResponse("Found", Item), ...errorResponses },
    }),
    replace: createRoute({
      method: "put",
      path: at,
      tags,
      summary: `Replace a ${spec.noun}`,
      middleware: inOrg("policy:write"),
      request: { params: Params, body: jsonBody(spec.body) },
      responses: { 200: jsonResponse("Saved", Item), ...errorResponses },
    }),
    remove: createRoute({
      method: "delete",
      path: at,
      tags,
      summary: `Remove an unused ${spec.noun}`,
      middleware: inOrg("policy:write"),
      request: { params: Params },
      responses: {
        200: jsonResponse("Removed", z.object({ revision: z.number() })),
        ...errorResponses,
      },
    }),
  };
  const id = (c: { req: { param: (name: string) => string | undefined } }) =>
    c.req.param(spec.param) ?? "";
  // The routes serve any item schema, so hono cannot type the body or the answer here: the
  // route's schema has validated the body, and the verbs' answers match the documented shapes.
  return newRouter()
    .openapi(routes.list, async (c) =>
      c.json(
        (await spec.verbs.list({ ctx: orgContext(c), input: c.req.valid("query") })) as never,
        200,
      ),
    )
    .openapi(routes.create, async (c) => {
      const input = { item: c.req.valid("json" as never) as z.output<B> };
      return c.json((await spec.verbs.create({ ctx: orgContext(c), input })) as never, 201);
    })
    .openapi(routes.get, async (c) =>
      c.json((await spec.verbs.get({ ctx: orgContext(c), input: { id: id(c) } })) as never, 200),
    )
    .openapi(routes.replace, async (c) => {
      const input = { id: id(c), item: c.req.valid("json" as never) as z.output<B> };
      return c.json((await spec.verbs.update({ ctx: orgContext(c), input })) as never, 200);
    })
    .openapi(routes.remove, async (c) =>
      c.json((await spec.verbs.remove({ ctx: orgContext(c), input: { id: id(c) } })) as never, 200),
    );
}

const route = <T extends Parameters<typeof createRoute>[0]>(spec: T) =>
  createRoute({ ...spec, tags: ["address objects"] });

const previewNew = route({
  method: "post",
  path: `${base}/preview`,
  summary: "The assets a selector matches now (paged by asset id)",
  middleware: inOrg("read"),
  request: {
    params: OrgParams,
    query: PageQuery,
    body: jsonBody(z.strictObject({ selector: z.string().min(1).max(8192), scope })),
  },
  responses: {
    200: jsonResponse(
      "Matches",
      z.object({
        total: z.number(),
        items: z.array(PreviewAsset),
        nextCursor: z.string().nullable(),
      }),
    ),
    ...errorResponses,
  },
});
const previewEdit = route({
  method: "post",
  path: `${base}/{objectId}/preview`,
  summary: "What saving this edit of the object would add and remove",
  middleware: inOrg("read"),
  request: { params: ItemParams, body: jsonBody(addressObjectSchema) },
  responses: {
    200: jsonResponse("Changes", z.object({ assets: Changes, prefixes: Changes, hosts: Changes })),
    ...errorResponses,
  },
});

export const objectRoutes = itemRoutes({
  segment: "objects",
  param: "objectId",
  tag: "address objects",
  noun: "address object",
  body: addressObjectSchema,
  verbs: {
    list: listObjects,
    get: getObject,
    create: createObject,
    update: updateObject,
    remove: deleteObject,
  },
})
  .openapi(previewNew, async (c) => {
    const input = { ...c.req.valid("query"), ...c.req.valid("json") };
    return c.json(await previewSelector({ ctx: orgContext(c), input }), 200);
  })
  .openapi(previewEdit, async (c) => {
    const input = { id: c.req.valid("param").objectId, object: c.req.valid("json") };
    return c.json(await previewObjectEdit({ ctx: orgContext(c), input }), 200);
  });
