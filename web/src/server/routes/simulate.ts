import { createRoute, z } from "@hono/zod-openapi";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import { errorResponses, jsonBody, jsonResponse, OrgParams } from "../http/schemas.ts";
import { simulateFlow } from "../services/simulate/simulate.ts";

const Simulation = z
  .strictObject({
    source: z
      .strictObject({
        ip: z.string().min(1).max(64).optional(),
        assetId: z.string().min(1).max(2048).optional(),
      })
      .refine((s) => (s.ip === undefined) !== (s.assetId === undefined), {
        message: "give exactly one of ip and assetId",
      }),
    destination: z.strictObject({
      host: z.string().min(1).max(253),
      port: z.number().int().min(0).max(65535).default(443),
      ip: z.string().min(1).max(64).optional(),
      sni: z.string().min(1).max(253).optional(),
    }),
    request: z
      .strictObject({
        method: z.string().regex(/^[A-Z]{1,16}$/, "an upper-case HTTP method"),
        path: z.string().startsWith("/").max(8192),
        headers: z
          .array(z.tuple([z.string().min(1).max(256), z.string().max(8192)]))
          .max(100)
          .optional(),
        body: z
          .string()
          .max(1 << 20)
          .optional(),
      })
      .optional(),
  })
  .openapi("Simulation");

const route = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/policy/simulate",
  tags: ["policy"],
  summary: "Decide one flow (and inspect a request) on the draft and the published policy",
  middleware: inOrg("read"),
  request: { params: OrgParams, body: jsonBody(Simulation) },
  responses: { 200: jsonResponse("Both decisions", z.object({}).passthrough()), ...errorResponses },
});

/** Simulation of a flow against the draft and the published policy, side by side. */
export const simulateRoutes = newRouter().openapi(route, async (c) =>
  c.json((await simulateFlow({ ctx: orgContext(c), input: c.req.valid("json") })) as never, 200),
);
