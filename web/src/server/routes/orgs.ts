import { createRoute, z } from "@hono/zod-openapi";
import { orgContext, serviceContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  jsonBody,
  jsonResponse,
  OrgParams,
  RoleSchema,
  Timestamp,
} from "../http/schemas.ts";
import { requireUser } from "../middleware/access.ts";
import { idempotent } from "../middleware/idempotency.ts";
import { createOrganization } from "../services/orgs/create.ts";
import { getOrganization } from "../services/orgs/get.ts";
import { listMyOrganizations } from "../services/orgs/list-mine.ts";
import { updateOrganization } from "../services/orgs/update.ts";

const Organization = z
  .object({
    id: z.string(),
    name: z.string(),
    slug: z.string(),
    role: RoleSchema,
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("Organization");

const Name = z.string().trim().min(1).max(200);
const Slug = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/, "lower-case letters, digits and inner dashes");

const createOrgRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs",
  tags: ["organisations"],
  summary: "Create an organisation; the caller becomes its owner",
  middleware: [requireUser, idempotent()],
  request: { body: jsonBody(z.strictObject({ name: Name, slug: Slug })) },
  responses: { 201: jsonResponse("Created", Organization), ...errorResponses },
});

const listOrgsRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs",
  tags: ["organisations"],
  summary: "The organisations I belong to",
  middleware: [requireUser],
  request: { query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(Organization)), ...errorResponses },
});

const getOrgRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}",
  tags: ["organisations"],
  summary: "One organisation",
  middleware: inOrg("read"),
  request: { params: OrgParams },
  responses: { 200: jsonResponse("The organisation", Organization), ...errorResponses },
});

const updateOrgRoute = createRoute({
  method: "patch",
  path: "/api/v1/orgs/{orgId}",
  tags: ["organisations"],
  summary: "Rename an organisation (owner)",
  middleware: inOrg("org:manage"),
  request: { params: OrgParams, body: jsonBody(z.strictObject({ name: Name })) },
  responses: { 200: jsonResponse("Updated", Organization), ...errorResponses },
});

export const orgRoutes = newRouter()
  .openapi(createOrgRoute, async (c) => {
    const org = await createOrganization({ ctx: serviceContext(c), input: c.req.valid("json") });
    return c.json(org, 201);
  })
  .openapi(listOrgsRoute, async (c) => {
    const page = await listMyOrganizations({ ctx: serviceContext(c), input: c.req.valid("query") });
    return c.json(page, 200);
  })
  .openapi(getOrgRoute, async (c) => {
    return c.json(await getOrganization({ ctx: orgContext(c), input: {} }), 200);
  })
  .openapi(updateOrgRoute, async (c) => {
    const org = await updateOrganization({ ctx: orgContext(c), input: c.req.valid("json") });
    return c.json(org, 200);
  });
