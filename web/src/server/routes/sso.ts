import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../context.ts";
import { orgContext } from "../http/context.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  OrgParams,
  RoleSchema,
  Timestamp,
} from "../http/schemas.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import { addDomain, listDomains, removeDomain } from "../services/sso/domains.ts";
import { getConnection } from "../services/sso/get.ts";
import { removeConnection } from "../services/sso/remove.ts";
import { withSso } from "../services/sso/runtime.ts";
import { saveConnection } from "../services/sso/save.ts";
import { verifyDomain } from "../services/sso/verify-domain.ts";

/** Where the identity provider sends the browser back; admins register it with their IdP. */
export function ssoRedirectUri(c: Context<AppEnv>): string {
  const origin = c.get("config").publicUrl?.origin ?? new URL(c.req.url).origin;
  return `${origin}/api/v1/auth/sso/callback`;
}

const ClaimName = z.string().trim().min(1).max(100);
/** Roles an IdP group or JIT may grant: never owner. */
const MappableRole = z.enum(["viewer", "editor", "admin"]);

const Connection = z
  .object({
    configured: z.literal(true),
    id: z.string(),
    issuer: z.string(),
    clientId: z.string(),
    clientSecretSet: z.boolean(),
    claims: z.object({ email: z.string(), name: z.string(), groups: z.string() }),
    groupRoles: z.record(z.string(), RoleSchema),
    defaultRole: RoleSchema,
    jitEnabled: z.boolean(),
    requireSso: z.boolean(),
    enabled: z.boolean(),
    redirectUri: z.string(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .openapi("SsoConnection");

/** What GET answers: the connection, or that there is none yet (an ordinary state, not a 404). */
const ConnectionState = z
  .discriminatedUnion("configured", [
    Connection,
    z.object({ configured: z.literal(false) }).openapi("SsoNotConfigured"),
  ])
  .openapi("SsoConnectionState");

const Issuer = z
  .url({ protocol: /^https?$/ })
  .max(500)
  .refine((value) => {
    const url = new URL(value);
    return url.search === "" && url.hash === "" && url.username === "" && url.password === "";
  }, "An issuer has no query, fragment or credentials");

const SaveBody = z.strictObject({
  issuer: Issuer,
  clientId: z.string().trim().min(1).max(500),
  clientSecret: z.string().min(1).max(2000).optional(),
  claims: z
    .strictObject({
      email: ClaimName.default("email"),
      name: ClaimName.default("name"),
      groups: ClaimName.default("groups"),
    })
    .default({ email: "email", name: "name", groups: "groups" }),
  groupRoles: z
    .record(z.string().min(1).max(200), MappableRole)
    .refine((value) => Object.keys(value).length <= 100, "At most 100 group mappings")
    .default({}),
  defaultRole: MappableRole.default("viewer"),
  jitEnabled: z.boolean().default(true),
  requireSso: z.boolean().default(false),
  enabled: z.boolean().default(true),
});

const Domain = z
  .object({
    id: z.string(),
    domain: z.string(),
    verified: z.boolean(),
    verifiedAt: Timestamp.nullable(),
    txtName: z.string(),
    txtValue: z.string(),
    createdAt: Timestamp,
  })
  .openapi("SsoDomain");

const DomainName = z
  .string()
  .trim()
  .toLowerCase()
  .transform((value) => value.replace(/\.$/, ""))
  .pipe(
    z
      .string()
      .max(253)
      .regex(
        /^(?=.*[a-z])([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/,
        "A domain name such as example.com",
      ),
  );

const DomainParams = OrgParams.extend({ domainId: idParam("domainId", "ssd_01jb3k…") });

const getRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/sso",
  tags: ["sso"],
  summary: "The organisation's OIDC connection, or configured: false (the secret never leaves)",
  middleware: inOrg("members:manage"),
  request: { params: OrgParams },
  responses: { 200: jsonResponse("Connection or none", ConnectionState), ...errorResponses },
});

const saveRoute = createRoute({
  method: "put",
  path: "/api/v1/orgs/{orgId}/sso",
  tags: ["sso"],
  summary: "Create or replace the OIDC connection; the issuer's discovery is checked first",
  middleware: inOrg("org:manage", requireStepUp),
  request: { params: OrgParams, body: jsonBody(SaveBody) },
  responses: { 200: jsonResponse("Saved", Connection), ...errorResponses },
});

const removeRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/sso",
  tags: ["sso"],
  summary: "Remove the OIDC connection",
  middleware: inOrg("org:manage", requireStepUp),
  request: { params: OrgParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

const listDomainsRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/sso/domains",
  tags: ["sso"],
  summary: "Email domains claimed for SSO",
  middleware: inOrg("members:manage"),
  request: { params: OrgParams },
  responses: {
    200: jsonResponse("Domains", z.object({ items: z.array(Domain) })),
    ...errorResponses,
  },
});

const addDomainRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/sso/domains",
  tags: ["sso"],
  summary: "Claim an email domain; publish the returned TXT record, then verify",
  middleware: inOrg("org:manage"),
  request: { params: OrgParams, body: jsonBody(z.strictObject({ domain: DomainName })) },
  responses: { 201: jsonResponse("Claimed", Domain), ...errorResponses },
});

const verifyDomainRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/sso/domains/{domainId}/verify",
  tags: ["sso"],
  summary: "Look up the TXT record and mark the domain verified",
  middleware: inOrg("org:manage", requireStepUp),
  request: { params: DomainParams, body: jsonBody(z.strictObject({})) },
  responses: { 200: jsonResponse("Verified", Domain), ...errorResponses },
});

const removeDomainRoute = createRoute({
  method: "delete",
  path: "/api/v1/orgs/{orgId}/sso/domains/{domainId}",
  tags: ["sso"],
  summary: "Remove a domain; its addresses no longer sign in through SSO",
  middleware: inOrg("org:manage"),
  request: { params: DomainParams },
  responses: { 204: { description: "Removed" }, ...errorResponses },
});

export const ssoRoutes = newRouter()
  .openapi(getRoute, async (c) => {
    const input = { redirectUri: ssoRedirectUri(c) };
    return c.json(await getConnection({ ctx: orgContext(c), input }), 200);
  })
  .openapi(saveRoute, async (c) => {
    const input = { ...c.req.valid("json"), redirectUri: ssoRedirectUri(c) };
    return c.json(await saveConnection({ ctx: withSso(c, orgContext(c)), input }), 200);
  })
  .openapi(removeRoute, async (c) => {
    await removeConnection({ ctx: orgContext(c), input: {} });
    return c.body(null, 204);
  })
  .openapi(listDomainsRoute, async (c) => {
    return c.json(await listDomains({ ctx: orgContext(c), input: {} }), 200);
  })
  .openapi(addDomainRoute, async (c) => {
    return c.json(await addDomain({ ctx: orgContext(c), input: c.req.valid("json") }), 201);
  })
  .openapi(verifyDomainRoute, async (c) => {
    const input = { domainId: c.req.valid("param").domainId };
    return c.json(await verifyDomain({ ctx: withSso(c, orgContext(c)), input }), 200);
  })
  .openapi(removeDomainRoute, async (c) => {
    await removeDomain({ ctx: orgContext(c), input: { domainId: c.req.valid("param").domainId } });
    return c.body(null, 204);
  });
