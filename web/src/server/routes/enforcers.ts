import { createRoute, z } from "@hono/zod-openapi";
import {
  credentialResponseSchema,
  ENFORCER_KINDS,
  REGISTRATION_TOKEN_PREFIX,
  registerRequestSchema,
  registerResponseSchema,
  statusRequestSchema,
} from "@ringfence/engine/control";
import { requestContext } from "../http/context.ts";
import { PageQuery, pageSchema } from "../http/pagination.ts";
import { inOrg, newRouter } from "../http/router.ts";
import {
  errorResponses,
  idParam,
  jsonBody,
  jsonResponse,
  OrgParams,
  Timestamp,
} from "../http/schemas.ts";
import { requireStepUp } from "../middleware/step-up.ts";
import {
  bearerWithPrefix,
  enforcerContext,
  orgEnforcementContext,
  requireEnforcer,
  requireRegistrationToken,
  withLazyEnforcement,
} from "../services/enforcers/http.ts";
import { listEnforcers } from "../services/enforcers/list.ts";
import { reportStatus } from "../services/enforcers/report-status.ts";
import { revokeEnforcer } from "../services/enforcers/revoke.ts";
import { rotateEnforcerCredential } from "../services/enforcers/rotate-credential.ts";
import { getCaCertificate, getCaForGateway } from "../services/keys/get-ca.ts";
import { rotateSigningKey } from "../services/keys/rotate.ts";
import {
  createRegistration,
  MAX_REGISTRATION_TTL_SECONDS,
} from "../services/registrations/create.ts";
import { registerEnforcer } from "../services/registrations/register.ts";

const Enforcer = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: z.enum(ENFORCER_KINDS),
    softwareVersion: z.string().nullable(),
    bundleVersion: z.number().int().nullable(),
    latestVersion: z.number().int().nullable(),
    drift: z.boolean(),
    lastSeenAt: Timestamp.nullable(),
    statusMessage: z.string().nullable(),
    credentialStart: z.string(),
    credentialExpiresAt: Timestamp.nullable(),
    credentialRotatedAt: Timestamp.nullable(),
    previousCredentialValidUntil: Timestamp.nullable(),
    lastUsedAt: Timestamp.nullable(),
    lastUsedFrom: z.string().nullable(),
    revokedAt: Timestamp.nullable(),
    createdAt: Timestamp,
  })
  .openapi("Enforcer");

const Registration = z.object({
  id: z.string(),
  name: z.string(),
  expiresAt: Timestamp,
  createdAt: Timestamp,
});

/** Writes that take no input still carry a JSON body, as every write does (`{}`). */
const emptyBody = jsonBody(z.strictObject({}));

const enforcerOnly = { 401: errorResponses[401], 400: errorResponses[400] } as const;

const createRegistrationRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/enforcer-registrations",
  tags: ["enforcers"],
  summary: "Create a one-time registration token for an enforcer; the token is shown once",
  middleware: inOrg("enforcers:manage", requireStepUp),
  request: {
    params: OrgParams,
    body: jsonBody(
      z.strictObject({
        name: z.string().trim().min(1).max(200),
        ttlSeconds: z.number().int().min(60).max(MAX_REGISTRATION_TTL_SECONDS).optional(),
      }),
    ),
  },
  responses: {
    201: jsonResponse("Created", z.object({ registration: Registration, token: z.string() })),
    ...errorResponses,
  },
});

const listRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/enforcers",
  tags: ["enforcers"],
  summary: "Enforcers of the organisation with the bundle version each enforces",
  middleware: inOrg("read"),
  request: { params: OrgParams, query: PageQuery },
  responses: { 200: jsonResponse("A page", pageSchema(Enforcer)), ...errorResponses },
});

const revokeRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/enforcers/{enforcerId}/revoke",
  tags: ["enforcers"],
  summary: "Revoke an enforcer's credential",
  middleware: inOrg("enforcers:manage", requireStepUp),
  request: {
    params: OrgParams.extend({ enforcerId: idParam("enforcerId", "enf_01jb3k…") }),
    body: emptyBody,
  },
  responses: { 200: jsonResponse("Revoked", Enforcer), ...errorResponses },
});

const rotateKeyRoute = createRoute({
  method: "post",
  path: "/api/v1/orgs/{orgId}/signing-key/rotate",
  tags: ["enforcers"],
  summary: "Rotate the bundle-signing key; the old key signs a bundle announcing the new one",
  middleware: inOrg("keys:manage", requireStepUp),
  request: { params: OrgParams, body: emptyBody },
  responses: {
    200: jsonResponse("Rotated", z.object({ keyId: z.string(), handover: z.unknown().nullable() })),
    ...errorResponses,
  },
});

const caRoute = createRoute({
  method: "get",
  path: "/api/v1/orgs/{orgId}/ca-certificate",
  tags: ["enforcers"],
  summary: "The proxy-mode CA certificate to install in clients' trust stores",
  middleware: inOrg("read"),
  request: { params: OrgParams },
  responses: {
    200: jsonResponse(
      "The certificate",
      z.object({ certificatePem: z.string(), notAfter: Timestamp }),
    ),
    ...errorResponses,
  },
});

const registerRoute = createRoute({
  method: "post",
  path: "/api/v1/enforcers/register",
  tags: ["enforcer protocol"],
  summary: "Exchange a registration token (Bearer rfr_…) for the enforcer's own credential",
  middleware: [requireRegistrationToken],
  request: { body: jsonBody(registerRequestSchema) },
  responses: { 201: jsonResponse("Registered", registerResponseSchema), ...enforcerOnly },
});

const statusRoute = createRoute({
  method: "post",
  path: "/api/v1/enforcer/status",
  tags: ["enforcer protocol"],
  summary: "Heartbeat: the bundle version this enforcer enforces",
  middleware: [requireEnforcer],
  request: { body: jsonBody(statusRequestSchema) },
  responses: { 204: { description: "Recorded" }, ...enforcerOnly },
});

const credentialRoute = createRoute({
  method: "post",
  path: "/api/v1/enforcer/credential",
  tags: ["enforcer protocol"],
  summary: "Replace the calling enforcer's credential; the old one works until the overlap ends",
  middleware: [requireEnforcer],
  request: { body: emptyBody },
  responses: {
    200: jsonResponse("New credential", credentialResponseSchema),
    ...enforcerOnly,
  },
});

const gatewayCaRoute = createRoute({
  method: "get",
  path: "/api/v1/enforcer/ca",
  tags: ["enforcer protocol"],
  summary: "The proxy-mode CA with its private key, for gateways only",
  middleware: [requireEnforcer],
  responses: {
    200: jsonResponse("The CA", z.object({ certPem: z.string(), keyPem: z.string() })),
    ...enforcerOnly,
    403: errorResponses[403],
  },
});

export const enforcerRoutes = newRouter()
  .openapi(createRegistrationRoute, async (c) => {
    const input = c.req.valid("json");
    return c.json(await createRegistration({ ctx: orgEnforcementContext(c), input }), 201);
  })
  .openapi(listRoute, async (c) => {
    return c.json(
      await listEnforcers({ ctx: orgEnforcementContext(c), input: c.req.valid("query") }),
      200,
    );
  })
  .openapi(revokeRoute, async (c) => {
    const input = { enforcerId: c.req.valid("param").enforcerId };
    return c.json(await revokeEnforcer({ ctx: orgEnforcementContext(c), input }), 200);
  })
  .openapi(rotateKeyRoute, async (c) => {
    return c.json(await rotateSigningKey({ ctx: orgEnforcementContext(c), input: {} }), 200);
  })
  .openapi(caRoute, async (c) => {
    return c.json(await getCaCertificate({ ctx: orgEnforcementContext(c), input: {} }), 200);
  })
  .openapi(registerRoute, async (c) => {
    const token = bearerWithPrefix(c, REGISTRATION_TOKEN_PREFIX) ?? "";
    const ctx = withLazyEnforcement(c, requestContext(c));
    const body = c.req.valid("json");
    return c.json(await registerEnforcer({ ctx, input: { token, ...body } }), 201);
  })
  .openapi(statusRoute, async (c) => {
    await reportStatus({ ctx: enforcerContext(c), input: c.req.valid("json") });
    return c.body(null, 204);
  })
  .openapi(credentialRoute, async (c) => {
    return c.json(await rotateEnforcerCredential({ ctx: enforcerContext(c), input: {} }), 200);
  })
  .openapi(gatewayCaRoute, async (c) => {
    return c.json(await getCaForGateway({ ctx: enforcerContext(c), input: {} }), 200);
  });
