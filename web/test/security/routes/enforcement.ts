import type { RouteCase } from "../route-case.ts";

const policy = {
  schemaVersion: 1,
  objects: [],
  services: [],
  ruleSets: [{ id: "main", defaultAction: "deny", rules: [] }],
};

/**
 * Routes of the enforcer protocol authenticate with an enforcer credential or registration
 * token, never a session or API key; the suite's 401, revoked-key and CSRF checks apply to them
 * as they stand, and web/test/enforcers/ checks the enforcer-specific refusals.
 */
// FIXME(enforcement): `user` is the nearest access level RouteCase offers to "an enforcer";
// an `enforcer` level in route-case.ts (Foundation) would let the suite also prove that a
// signed-in owner and a valid API key are refused (401) on these routes.
const machine = "user" as const;

export const enforcementCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/enforcer-registrations",
    access: "admin",
    body: () => ({ name: "suite-gateway" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/enforcers", access: "viewer" },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/enforcers/{enforcerId}/revoke",
    access: "admin",
    params: (o) => ({ orgId: o.orgId, enforcerId: "enf_00000000000000000000000000" }),
    body: () => ({}),
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/signing-key/rotate",
    access: "admin",
    body: () => ({}),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/ca-certificate", access: "viewer" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/bundles", access: "viewer" },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/bundles",
    access: "editor",
    body: () => ({ policy, inventory: { schemaVersion: 1, assets: [] } }),
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/bundles/{version}/rollback",
    access: "editor",
    params: (o) => ({ orgId: o.orgId, version: "1" }),
    body: () => ({}),
  },
  {
    method: "POST",
    path: "/api/v1/enforcers/register",
    access: machine,
    body: () => ({ kind: "gateway" }),
  },
  { method: "GET", path: "/api/v1/enforcer/bundle", access: machine },
  {
    method: "POST",
    path: "/api/v1/enforcer/status",
    access: machine,
    body: () => ({ version: null }),
  },
  { method: "POST", path: "/api/v1/enforcer/credential", access: machine, body: () => ({}) },
  { method: "GET", path: "/api/v1/enforcer/ca", access: machine },
  {
    method: "POST",
    path: "/api/v1/enforcer/events",
    access: machine,
    body: () => ({ events: [] }),
  },
];
