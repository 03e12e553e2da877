import type { RouteCase } from "../route-case.ts";

// The world has no cloud account per organisation yet, so the account id is one that exists in
// neither; the suite's checks (401, 403, 404 across organisations, CSRF) run before any lookup.
// TODO(discovery): use real per-organisation account ids once support/world.ts creates them.
const account = (o: { orgId: string }) => ({
  orgId: o.orgId,
  accountId: "cla_0000000000000000000000000a",
});

export const discoveryCases: RouteCase[] = [
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/accounts",
    access: "editor",
    body: () => ({ provider: "aws", name: "suite", accountId: "111122223333" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/accounts", access: "viewer" },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}",
    access: "viewer",
    params: account,
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}/sync",
    access: "editor",
    params: account,
    body: () => ({}),
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}/import",
    access: "editor",
    params: account,
    body: () => ({ files: [{ name: "inventory.json", text: '{"schemaVersion":1,"assets":[]}' }] }),
  },
  {
    method: "POST",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}/verify",
    access: "editor",
    params: account,
    body: () => ({}),
  },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}/aws-setup",
    access: "viewer",
    params: account,
  },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/accounts/{accountId}/sync-runs",
    access: "viewer",
    params: account,
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/inventory", access: "viewer" },
  {
    method: "GET",
    path: "/api/v1/orgs/{orgId}/inventory/{assetId}",
    access: "viewer",
    params: (o) => ({ orgId: o.orgId, assetId: "ast_0000000000000000000000000a" }),
  },
  { method: "GET", path: "/api/v1/orgs/{orgId}/posture", access: "viewer" },
];
