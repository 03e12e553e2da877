import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TestServer } from "../support/app.ts";
import {
  as,
  type DeployOrg,
  deployOrg,
  instance,
  setInventory,
  startDeployApp,
} from "./support.ts";

// Deploy end to end through the API: objects, preview, publish, simulate, export/apply, rollback.
let server: TestServer;
let org: DeployOrg;
let api: ReturnType<typeof as>;

beforeAll(async () => {
  server = await startDeployApp();
  org = await deployOrg(server, "deploy");
  api = as(server, org);
  await setInventory(server, org, [
    instance("i-web-1", "10.0.1.10", { role: "web", env: "prod" }),
    instance("i-web-2", "10.0.1.11", { role: "web", env: "dev" }),
    instance("i-db-1", "10.0.2.10", { role: "db", env: "prod" }),
  ]);
});
afterAll(async () => server?.close());

const webTier = { id: "web-tier", kind: "dynamic", selector: 'tag.role == "web"' };
const bucket = { id: "reports", kind: "s3", bucket: "acme-reports", region: "us-east-1" };
const allowWeb = {
  id: "web-to-reports",
  sources: ["web-tier"],
  destinations: ["reports"],
  action: "allow",
};

describe("authoring the draft", () => {
  it("previews the assets a selector matches, paged by asset id", async () => {
    const first = await api("POST", "/objects/preview?limit=1", { selector: 'tag.role == "web"' });
    expect(first.json).toMatchObject({ total: 2, items: [{ id: "i-web-1" }] });
    const cursor = first.json.nextCursor as string;
    const second = await api("POST", `/objects/preview?limit=1&cursor=${cursor}`, {
      selector: 'tag.role == "web"',
    });
    expect(second.json).toMatchObject({ items: [{ id: "i-web-2" }], nextCursor: null });
  });

  it("previews within a scope, as the engine resolves the object", async () => {
    const selector = 'tag.role == "web"';
    const here = await api("POST", "/objects/preview", {
      selector,
      scope: { accounts: ["111122223333"], regions: ["us-east-1"] },
    });
    expect(here.json).toMatchObject({ total: 2 });
    const elsewhere = await api("POST", "/objects/preview", {
      selector,
      scope: { regions: ["eu-west-1"] },
    });
    expect(elsewhere.json).toMatchObject({ total: 0, items: [] });
    const otherVpc = await api("POST", "/objects/preview", {
      selector,
      scope: { vpcs: ["vpc-0"] },
    });
    expect(otherVpc.json).toMatchObject({ total: 0 });
  });

  it("refuses a selector that does not parse, naming its position", async () => {
    const result = await api("POST", "/objects", { ...webTier, selector: 'tag.role == "web" and' });
    expect(result.status, JSON.stringify(result.body)).toBe(400);
    const errors = result.json.errors as { path: string; message: string }[];
    expect(errors[0]).toMatchObject({ path: "selector" });
    expect(errors[0]?.message).toMatch(/^1:\d+: expected/);
  });

  it("creates objects, services and an ordered rule, auditing each change", async () => {
    expect((await api("POST", "/objects", webTier)).status).toBe(201);
    expect((await api("POST", "/services", bucket)).status).toBe(201);
    const rule = await api("POST", "/rule-sets/default/rules", { rule: allowWeb });
    expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    const deny = { id: "deny-dev", sources: ["web-tier"], action: "deny" };
    const first = await api("POST", "/rule-sets/default/rules", { rule: deny, position: 0 });
    expect(first.json).toMatchObject({ position: 0 });

    const audit = await api("GET", "/audit-log?limit=20");
    const actions = (audit.json.items as { action: string }[]).map((item) => item.action);
    expect(actions).toEqual(
      expect.arrayContaining(["object.create", "service.create", "rule.create"]),
    );
  });

  it("reorders rules only with a permutation of their ids", async () => {
    const bad = await api("PUT", "/rule-sets/default/rules/order", { ids: ["web-to-reports"] });
    expect(bad.status).toBe(400);
    const good = await api("PUT", "/rule-sets/default/rules/order", {
      ids: ["web-to-reports", "deny-dev"],
    });
    const rules = (good.json.item as { rules: { id: string }[] }).rules.map((r) => r.id);
    expect(rules).toEqual(["web-to-reports", "deny-dev"]);
  });

  it("refuses to delete an object a rule uses, naming the rule's field", async () => {
    const result = await api("DELETE", "/objects/web-tier");
    expect(result.status).toBe(409);
    expect(result.json.detail).toContain("$.ruleSets[0].rules[0].sources[0]");
  });

  it("refuses an unknown reference with its path", async () => {
    const rule = { id: "ghost", sources: ["nope"], action: "allow" };
    const result = await api("POST", "/rule-sets/default/rules", { rule });
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([
      expect.objectContaining({ path: "$.ruleSets[0].rules[2].sources[0]" }),
    ]);
  });

  it("refuses an IPS suppression of an unknown signature id, naming the id", async () => {
    const profile = {
      id: "ips-quiet",
      kind: "ips",
      signatures: [{ id: "own-probe", name: "Probe", buffer: "uri", contents: [{ match: "/x" }] }],
      suppressions: [
        { signature: "ips-log4shell" },
        { signature: "own-probe", source: "10.0.0.0/8" },
        { signature: "ips-log4shel" },
      ],
    };
    const result = await api("POST", "/profiles", profile);
    expect(result.status, JSON.stringify(result.body)).toBe(400);
    expect(result.json.errors).toEqual([
      expect.objectContaining({
        path: "$.profiles[0].suppressions.2.signature",
        message: 'no signature has the id "ips-log4shel"',
      }),
    ]);
    expect(String(result.json.detail)).toContain('"ips-log4shel"');

    const fixed = { ...profile, suppressions: profile.suppressions.slice(0, 2) };
    const saved = await api("POST", "/profiles", fixed);
    expect(saved.status, JSON.stringify(saved.body)).toBe(201);
    expect(saved.json.item).toMatchObject({ suppressions: fixed.suppressions });
  });

  it("refuses a customer regex outside the linear-time subset, naming the construct", async () => {
    const profile = {
      id: "dlp-custom",
      kind: "dlp",
      detectors: [{ detector: "ticket", pattern: "(a)\\1", action: "block" }],
    };
    const result = await api("POST", "/profiles", profile);
    expect(result.status, JSON.stringify(result.body)).toBe(400);
    expect(String(result.json.detail)).toMatch(/backreference/i);
  });

  it("previews what an edit would add and remove", async () => {
    const edited = { ...webTier, selector: 'tag.env == "prod"' };
    const result = await api("POST", "/objects/web-tier/preview", edited);
    expect(result.json).toMatchObject({
      assets: { added: ["i-db-1"], removed: ["i-web-2"] },
    });
    // Adjacent hosts merge into one prefix, so the prefix lists are compared as sets of text.
    expect(result.json.prefixes).toEqual({
      added: ["10.0.1.10/32", "10.0.2.10/32"],
      removed: ["10.0.1.10/31"],
    });
  });
});

describe("publishing, simulation and rollback", () => {
  it("publishes the draft as a signed bundle with its diff", async () => {
    const result = await api("POST", "/policy/publish", {});
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.json).toMatchObject({
      bundle: { version: 1 },
      version: { version: 1, reason: "publish", diff: { objects: { added: ["web-tier"] } } },
    });
  });

  it("simulates a flow on the draft and the published policy side by side", async () => {
    const flow = {
      source: { assetId: "i-web-2" },
      destination: { host: "acme-reports.s3.us-east-1.amazonaws.com", port: 443 },
    };
    const before = await api("POST", "/policy/simulate", flow);
    expect(before.json).toMatchObject({
      draft: { decision: { action: "allow", ruleId: "web-to-reports" } },
      published: { version: 1, decision: { action: "allow", ruleId: "web-to-reports" } },
    });

    await api("PUT", "/objects/web-tier", { ...webTier, selector: 'tag.env == "prod"' });
    const after = await api("POST", "/policy/simulate", flow);
    expect(after.json).toMatchObject({
      draft: { decision: { action: "deny", reasons: { default: true } } },
      published: { decision: { action: "allow" } },
    });
  });

  it("rolls back to version 1 as a new version and restores the draft", async () => {
    expect((await api("POST", "/policy/publish", {})).json).toMatchObject({
      version: { version: 2, diff: { objects: { changed: ["web-tier"] } } },
    });
    const result = await api("POST", "/policy/versions/1/rollback", {});
    expect(result.status, JSON.stringify(result.body)).toBe(201);
    expect(result.json).toMatchObject({ version: { version: 3, rollbackOf: 1 } });
    const object = await api("GET", "/objects/web-tier");
    expect(object.json).toMatchObject({ item: { selector: 'tag.role == "web"' } });
  });

  it("recompiles when the inventory changes the membership of an object in use", async () => {
    expect((await api("POST", "/policy/recompile", {})).json).toEqual({ publication: null });
    await setInventory(server, org, [
      instance("i-web-1", "10.0.1.10", { role: "web", env: "prod" }),
      instance("i-web-3", "10.0.1.12", { role: "web", env: "prod" }),
    ]);
    const result = await api("POST", "/policy/recompile", {});
    expect(result.json).toMatchObject({
      publication: { version: { version: 4, reason: "inventory" } },
    });
  });
});

describe("policy as code", () => {
  it("exports, applies the export as a no-op, and exports byte-identical text", async () => {
    const exported = await server.app.request(
      `http://localhost/api/v1/orgs/${org.orgId}/policy/export`,
      { headers: { Cookie: `rf_session=${org.owner.cookie}` } },
    );
    const text = await exported.text();
    expect(exported.headers.get("content-type")).toContain("application/yaml");
    const applied = await api("POST", "/policy/apply", { text });
    expect(applied.json).toMatchObject({ changed: false, diff: { empty: true } });

    const again = await server.app.request(
      `http://localhost/api/v1/orgs/${org.orgId}/policy/export`,
      { headers: { Cookie: `rf_session=${org.owner.cookie}` } },
    );
    expect(await again.text()).toBe(text);
  });

  it("applies an edited file and reports the diff; an invalid file applies nothing", async () => {
    const draft = await api("GET", "/policy/draft");
    const revision = draft.json.revision as number;
    const broken = await api("POST", "/policy/apply", {
      text: "schemaVersion: 1\nruleSets:\n  - id: default\n    defaultAction: maybe\n    rules: []\n",
    });
    expect(broken.status).toBe(400);
    expect(broken.json.errors).toEqual([
      expect.objectContaining({ path: "text $.ruleSets[0].defaultAction" }),
    ]);
    expect((await api("GET", "/policy/draft")).json.revision).toBe(revision);
  });
});
