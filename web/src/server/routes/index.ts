import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv } from "../context.ts";
import { accountRoutes } from "./accounts.ts";
import { analyticsRoutes } from "./analytics.ts";
import { apiKeyRoutes } from "./api-keys.ts";
import { auditExportRoutes } from "./audit-export.ts";
import { auditLogRoutes } from "./audit-log.ts";
import { authRoutes } from "./auth.ts";
import { bundleRoutes } from "./bundles.ts";
import { enforcerRoutes } from "./enforcers.ts";
import { eventRoutes } from "./events.ts";
import { eventsIngestRoutes } from "./events-ingest.ts";
import { integrationRoutes } from "./integrations.ts";
import { inventoryRoutes } from "./inventory.ts";
import { invitationRoutes } from "./invitations.ts";
import { keyRoutes } from "./keys.ts";
import { memberRoutes } from "./members.ts";
import { mfaRoutes } from "./mfa.ts";
import { orgRoutes } from "./orgs.ts";
import { deployRouters } from "./policy.ts";
import { postureRoutes } from "./posture.ts";
import { sessionRoutes } from "./sessions.ts";
import { ssoRoutes } from "./sso.ts";
import { ssoAuthRoutes } from "./sso-auth.ts";

/**
 * Every router of the control plane. A new entity adds its router here, and its routes to the
 * shared security suite (web/test/security/routes/), which the suite checks is complete.
 */
export const routers: OpenAPIHono<AppEnv>[] = [
  authRoutes,
  sessionRoutes,
  ssoAuthRoutes,
  ssoRoutes,
  mfaRoutes,
  orgRoutes,
  memberRoutes,
  invitationRoutes,
  apiKeyRoutes,
  keyRoutes,
  auditLogRoutes,
  accountRoutes,
  inventoryRoutes,
  postureRoutes,
  enforcerRoutes,
  bundleRoutes,
  eventsIngestRoutes,
  ...deployRouters,
  eventRoutes,
  analyticsRoutes,
  integrationRoutes,
  auditExportRoutes,
];
