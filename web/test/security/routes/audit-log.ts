import type { RouteCase } from "../route-case.ts";

export const auditLogCases: RouteCase[] = [
  { method: "GET", path: "/api/v1/orgs/{orgId}/audit-log", access: "admin" },
];
