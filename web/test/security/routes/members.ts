import type { RouteCase } from "../route-case.ts";

const member = (o: { orgId: string; memberId: string }) => ({
  orgId: o.orgId,
  memberId: o.memberId,
});

export const memberCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/orgs/{orgId}/members", access: "viewer" },
  {
    method: "PATCH",
    path: "/api/v1/orgs/{orgId}/members/{memberId}",
    access: "admin",
    body: () => ({ role: "editor" }),
    params: member,
  },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/members/{memberId}",
    access: "admin",
    params: member,
  },
];
