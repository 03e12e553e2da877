import type { RouteCase } from "../route-case.ts";

export const sessionCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/me/sessions", access: "user" },
  {
    method: "DELETE",
    path: "/api/v1/me/sessions/{sessionId}",
    access: "user",
    params: () => ({ sessionId: "ses_0000000000000000000000000a" }),
  },
  {
    method: "POST",
    path: "/api/v1/me/sessions/revoke-all",
    access: "user",
    body: () => ({ exceptCurrent: true }),
  },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/members/{memberId}/sessions",
    access: "admin",
    params: (o) => ({ orgId: o.orgId, memberId: o.memberId }),
  },
];
