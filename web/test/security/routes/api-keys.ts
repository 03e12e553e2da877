import type { RouteCase } from "../route-case.ts";

export const apiKeyCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/api-keys",
    access: "admin",
    body: () => ({ name: "suite", scope: "read" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/api-keys", access: "admin" },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/api-keys/{keyId}/rotate",
    access: "admin",
    params: (o) => ({ orgId: o.orgId, keyId: o.keyId }),
    body: () => ({ overlapSeconds: 60 }),
  },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/api-keys/{keyId}",
    access: "admin",
    params: (o) => ({ orgId: o.orgId, keyId: o.keyId }),
  },
];
