import type { RouteCase } from "../security/route-case.ts";

/**
 * One case per Deploy route, in the shared security suite's shape, ready to be spread into
 * web/test/security/routes/index.ts. Item routes use ids that exist in no draft: the suite's
 * checks (401, 404 across organisations, 403 for viewers, CSRF) all answer before a lookup.
 */
const org = "/api/v1/orgs/{orgId}";
const object = { id: "sec-object", kind: "static", addresses: ["10.9.0.0/24"] };
const service = { id: "sec-service", kind: "fqdn", hosts: ["api.example.test"] };
const profile = { id: "sec-profile", kind: "malware" };
const rule = { id: "sec-rule", action: "deny" };
const params = (extra: Record<string, string>) => (o: { orgId: string }) => ({
  orgId: o.orgId,
  ...extra,
});

function items(segment: string, param: string, body: unknown): RouteCase[] {
  const at = `${org}/${segment}/{${param}}`;
  const id = params({ [param]: (body as { id: string }).id });
  return [
    { method: "GET", path: `${org}/${segment}`, access: "viewer" },
    { method: "POST", path: `${org}/${segment}`, access: "editor", body: () => body },
    { method: "GET", path: at, access: "viewer", params: id },
    { method: "PUT", path: at, access: "editor", body: () => body, params: id },
    { method: "DELETE", path: at, access: "editor", params: id },
  ];
}

const sets = `${org}/rule-sets`;
// Rule set ids are chosen by the customer and every draft has a "default" set, so the suite's
// "our organisation, their id" check needs an id that exists in no organisation's draft.
const setOf = (o: { orgId: string }) => `sec-set-${o.orgId.slice(-8).toLowerCase()}`;
const set = (o: { orgId: string }) => ({ orgId: o.orgId, ruleSetId: setOf(o) });
const ruleAt = (o: { orgId: string }) => ({ ...set(o), ruleId: "sec-rule" });

export const deployCases: RouteCase[] = [
  ...items("objects", "objectId", object),
  ...items("services", "serviceId", service),
  ...items("profiles", "profileId", profile),
  {
    method: "POST",
    path: `${org}/objects/preview`,
    access: "viewer",
    body: () => ({ selector: "has tag.role" }),
  },
  {
    method: "POST",
    path: `${org}/objects/{objectId}/preview`,
    access: "viewer",
    body: () => object,
    params: params({ objectId: "sec-object" }),
  },
  { method: "GET", path: sets, access: "viewer" },
  {
    method: "POST",
    path: sets,
    access: "editor",
    body: () => ({ ruleSet: { id: "sec-set", defaultAction: "next", rules: [] }, position: 0 }),
  },
  { method: "PUT", path: `${sets}/order`, access: "editor", body: () => ({ ids: ["default"] }) },
  { method: "GET", path: `${sets}/{ruleSetId}`, access: "viewer", params: set },
  {
    method: "PUT",
    path: `${sets}/{ruleSetId}`,
    access: "editor",
    body: () => ({ defaultAction: "deny" }),
    params: set,
  },
  { method: "DELETE", path: `${sets}/{ruleSetId}`, access: "editor", params: set },
  {
    method: "POST",
    path: `${sets}/{ruleSetId}/rules`,
    access: "editor",
    body: () => ({ rule }),
    params: set,
  },
  {
    method: "PUT",
    path: `${sets}/{ruleSetId}/rules/order`,
    access: "editor",
    body: () => ({ ids: [] }),
    params: set,
  },
  {
    method: "PUT",
    path: `${sets}/{ruleSetId}/rules/{ruleId}`,
    access: "editor",
    body: () => rule,
    params: ruleAt,
  },
  {
    method: "DELETE",
    path: `${sets}/{ruleSetId}/rules/{ruleId}`,
    access: "editor",
    params: ruleAt,
  },
  { method: "GET", path: `${org}/policy/draft`, access: "viewer" },
  { method: "GET", path: `${org}/policy/export`, access: "viewer" },
  {
    method: "POST",
    path: `${org}/policy/diff`,
    access: "viewer",
    body: () => ({ text: "schemaVersion: 1" }),
  },
  {
    method: "POST",
    path: `${org}/policy/apply`,
    access: "editor",
    body: () => ({ text: "schemaVersion: 1" }),
  },
  { method: "POST", path: `${org}/policy/publish`, access: "editor", body: () => ({}) },
  { method: "GET", path: `${org}/policy/versions`, access: "viewer" },
  {
    method: "POST",
    path: `${org}/policy/versions/{version}/rollback`,
    access: "editor",
    body: () => ({}),
    params: params({ version: "1" }),
  },
  { method: "POST", path: `${org}/policy/recompile`, access: "editor", body: () => ({}) },
  { method: "GET", path: `${org}/policy/hits`, access: "viewer" },
  {
    method: "POST",
    path: `${org}/policy/simulate`,
    access: "viewer",
    body: () => ({
      source: { ip: "10.0.0.1" },
      destination: { host: "a.example.test", port: 443 },
    }),
  },
];
