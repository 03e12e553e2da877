import type { RouteCase } from "../route-case.ts";

/** The key hierarchy's routes: data keys are managed by admins, like API keys. */
export const keyCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/orgs/{orgId}/data-keys", access: "admin" },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/data-keys/rotate",
    access: "admin",
    body: () => ({ purposes: ["integration-secrets"] }),
  },
];
