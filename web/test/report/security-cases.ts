import type { RouteCase } from "../security/route-case.ts";

/**
 * The shared security suite's cases for the Report routes, for web/test/security/routes/index.ts
 * to spread (that index is not ours). Ids that the suite's OrgObjects do not carry yet are fixed
 * well-formed ids of nothing: every refusal the suite checks (401, 403, cross-tenant 404) comes
 * before the lookup.
 */
// TODO(report): add integrationId and eventId to OrgObjects in web/test/support/world.ts
// (Foundation) so these cases address real objects of each organisation.
const integration = (o: { orgId: string }) => ({
  orgId: o.orgId,
  integrationId: "int_0000000000000000000000000a",
});
const event = (o: { orgId: string }) => ({
  orgId: o.orgId,
  eventId: "00000000-0000-4000-8000-000000000000",
});
const webhook = () => ({ kind: "webhook", name: "suite hook", target: "https://siem.test/hook" });

export const reportCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/orgs/{orgId}/events", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/events/{eventId}", access: "viewer", params: event },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/decisions", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/top-sources", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/top-destinations", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/rules", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/detections", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/analytics/enforcers", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/audit-log/ocsf", access: "admin" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/integrations", access: "admin" },
  { method: "POST", path: "/api/v1/orgs/{orgId}/integrations", access: "admin", body: webhook },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    access: "admin",
    params: integration,
  },
  {
    method: "PATCH",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    access: "admin",
    body: () => ({ enabled: false }),
    params: integration,
  },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}",
    access: "admin",
    params: integration,
  },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/deliveries",
    access: "admin",
    params: integration,
  },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/attempts",
    access: "admin",
    params: integration,
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/replay",
    access: "admin",
    body: () => ({}),
    params: integration,
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/test",
    access: "admin",
    body: () => ({}),
    params: integration,
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/integrations/{integrationId}/backfill",
    access: "admin",
    body: () => ({ from: new Date(Date.now() - 3_600_000).toISOString() }),
    params: integration,
  },
];
