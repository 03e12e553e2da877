import type { RouteCase } from "../route-case.ts";

export const invitationCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/invitations",
    access: "admin",
    body: () => ({ email: "someone@example.test", role: "viewer" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/invitations", access: "admin" },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/invitations/{invitationId}",
    access: "admin",
    params: (o) => ({ orgId: o.orgId, invitationId: o.invitationId }),
  },
  {
    method: "POST",
    path: "/api/v1/invitations/accept",
    access: "user",
    body: () => ({ token: "not-a-real-token" }),
  },
];
