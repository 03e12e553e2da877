import type { RouteCase } from "../route-case.ts";

export const orgCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/orgs",
    access: "user",
    body: () => ({ name: "Suite", slug: `suite-${Date.now()}` }),
  },
  { method: "GET", path: "/api/v1/orgs", access: "user" },
  { method: "GET", path: "/api/v1/orgs/{orgId}", access: "viewer" },
  { method: "PATCH", path: "/api/v1/orgs/{orgId}", access: "owner", body: () => ({ name: "New" }) },
];
