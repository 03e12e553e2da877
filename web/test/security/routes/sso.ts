import type { RouteCase } from "../route-case.ts";

const domain = (o: { orgId: string }) => ({
  orgId: o.orgId,
  domainId: "ssd_0000000000000000000000000a",
});

export const ssoCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/auth/sso/start", access: "anonymous" },
  { method: "GET", path: "/api/v1/auth/sso/callback", access: "anonymous" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/sso", access: "admin" },
  {
    method: "PUT",
    path: "/api/v1/orgs/{orgId}/sso",
    access: "owner",
    body: () => ({ issuer: "https://idp.example.test", clientId: "suite", clientSecret: "x" }),
  },
  { method: "DELETE", path: "/api/v1/orgs/{orgId}/sso", access: "owner" },
  { method: "GET", path: "/api/v1/orgs/{orgId}/sso/domains", access: "admin" },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/sso/domains",
    access: "owner",
    body: () => ({ domain: "suite.example.test" }),
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/sso/domains/{domainId}/verify",
    access: "owner",
    body: () => ({}),
    params: domain,
  },
  {
    method: "DELETE",
    path: "/api/v1/orgs/{orgId}/sso/domains/{domainId}",
    access: "owner",
    params: domain,
  },
];
