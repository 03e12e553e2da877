import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsReplay } from "../../../test/replay/aws/index.ts";
import { processNextSync } from "../../src/server/discovery/sync/index.ts";
import { prepareDiscovery } from "../../src/server/services/discovery/runtime.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";
import { connection, demoAccount, startAwsReplay, world } from "./aws-fixtures.ts";
import { testKek } from "./db-legs.ts";

let server: TestServer;
let replay: AwsReplay;
let owner: TestUser;
let orgId: string;
const customer = demoAccount();

beforeAll(async () => {
  server = await startTestApp();
  replay = await startAwsReplay(world([customer], 1000));
  prepareDiscovery(server.database.db, {
    aws: connection(replay),
    awsSetup: {
      templateUrl: "https://templates.example/ringfence-readonly-role.yaml",
      principalArn: "arn:aws:iam::000000000000:user/ringfence-discovery",
    },
  });
  owner = await signUpUser(server.app, "discover-routes");
  orgId = await createOrg(server.app, owner, `disc-routes-${Date.now()}`);
});
afterAll(async () => {
  await replay?.close();
  await server?.close();
});

const api = (method: string, path: string, body?: unknown) =>
  call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });

/** Onboards the replay's account; the replay then learns the ExternalId Ringfence generated. */
async function onboard(name: string, roleName = "RingfenceReadOnly") {
  const created = await api("POST", "/accounts", {
    provider: "aws",
    name,
    accountId: customer.accountId,
    roleName,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.json as { id: string; externalId: string };
}

describe("verify, setup, sync runs and one asset over the API", () => {
  let accountId: string;
  let externalId: string;

  it("reports the exact ExternalId the trust policy must require when it does not", async () => {
    ({ id: accountId, externalId } = await onboard("prod"));
    const result = await api("POST", `/accounts/${accountId}/verify`, {});
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.json).toMatchObject({ ok: false, account: { status: "error" } });
    const account = result.json.account as { statusMessage: string };
    expect(account.statusMessage).toContain(
      `the role's trust policy must require ExternalId ${externalId}`,
    );
    const stored = await api("GET", `/accounts/${accountId}`);
    expect(stored.json.statusMessage).toBe(account.statusMessage);
  });

  it("names the denied action when the role lacks a permission", async () => {
    customer.externalId = externalId;
    customer.deniedActions = ["ec2:DescribeVpcEndpoints"];
    const result = await api("POST", `/accounts/${accountId}/verify`, {});
    expect(result.json.ok).toBe(false);
    expect(result.json.account).toMatchObject({
      status: "error",
      statusMessage: expect.stringContaining("the role lacks ec2:DescribeVpcEndpoints; add it"),
    });
    expect(result.json.problems).toEqual([
      expect.objectContaining({ missingPermission: "ec2:DescribeVpcEndpoints" }),
    ]);
  });

  it("activates the account once every check passes", async () => {
    customer.deniedActions = [];
    const result = await api("POST", `/accounts/${accountId}/verify`, {});
    expect(result.json).toMatchObject({
      ok: true,
      problems: [],
      account: { status: "active", statusMessage: null },
    });
  });

  it("gives the quick-create link with the account's ExternalId as a string only", async () => {
    const calls = [...replay.calls.values()].reduce((sum, n) => sum + n, 0);
    const result = await api("GET", `/accounts/${accountId}/aws-setup`);
    expect(result.status).toBe(200);
    const link = new URL(result.json.quickCreateUrl as string);
    expect(link.origin).toBe("https://console.aws.amazon.com");
    const query = new URLSearchParams(link.hash.split("?")[1]);
    expect(link.hash.startsWith("#/stacks/quickcreate?")).toBe(true);
    expect(Object.fromEntries(query)).toEqual({
      templateURL: "https://templates.example/ringfence-readonly-role.yaml",
      stackName: "ringfence-discovery",
      param_ExternalId: externalId,
      param_RingfencePrincipal: "arn:aws:iam::000000000000:user/ringfence-discovery",
      param_RoleName: "RingfenceReadOnly",
    });
    expect([...replay.calls.values()].reduce((sum, n) => sum + n, 0)).toBe(calls);
  });

  it("lists sync runs newest first with their diffs", async () => {
    // AWS syncs open no sealed secret, so any key serves the runtime.
    const runtime = { db: server.database.db, kek: await testKek(), aws: connection(replay) };
    expect((await api("POST", `/accounts/${accountId}/sync`, {})).status).toBe(202);
    expect((await processNextSync(runtime))?.status).toBe("succeeded");
    const east = customer.regions["us-east-1"];
    const web = east?.instances[0];
    if (!web) throw new Error("the demo account lost its instance");
    web.tags = [...web.tags, { key: "tier", value: "front" }];
    await api("POST", `/accounts/${accountId}/sync`, {});
    await processNextSync(runtime);

    const result = await api("GET", `/accounts/${accountId}/sync-runs?limit=1`);
    expect(result.status).toBe(200);
    const [latest] = result.json.items as Record<string, unknown>[];
    expect(latest).toMatchObject({
      status: "succeeded",
      added: 0,
      changed: 1,
      removed: 0,
      diff: {
        added: [],
        changed: ["arn:aws:ec2:us-east-1:111122223333:instance/i-web1"],
        removed: [],
      },
      problems: [],
    });
    const next = await api(
      "GET",
      `/accounts/${accountId}/sync-runs?cursor=${result.json.nextCursor}`,
    );
    expect(next.json.items).toEqual([expect.objectContaining({ added: 9, changed: 0 })]);
  });

  it("shows one asset with the address objects that contain it", async () => {
    const objects = [
      { id: "front", kind: "dynamic", selector: 'tag.tier == "front"' },
      { id: "back", kind: "dynamic", selector: 'tag.tier == "back"' },
    ];
    for (const object of objects) expect((await api("POST", "/objects", object)).status).toBe(201);
    const listed = await api("GET", `/inventory?accountId=${accountId}&kind=instance`);
    const [item] = listed.json.items as { id: string }[];
    const result = await api("GET", `/inventory/${item?.id}`);
    expect(result.status, JSON.stringify(result.body)).toBe(200);
    expect(result.json.objects).toEqual([{ id: "front", kind: "dynamic", description: null }]);
    expect(result.json.asset).toMatchObject({ tags: { tier: "front" } });
  });

  it("answers 404 for an asset or account of no one, and 409 verifying an offline account", async () => {
    expect((await api("GET", "/inventory/ast_0000000000000000000000000x")).status).toBe(404);
    expect((await api("GET", "/accounts/cla_0000000000000000000000000x/sync-runs")).status).toBe(
      404,
    );
    const offline = await api("POST", "/accounts", {
      provider: "aws",
      name: "demo",
      accountId: "999988887777",
      offline: true,
    });
    const refused = await api("POST", `/accounts/${offline.json.id}/verify`, {});
    expect(refused.status).toBe(409);
    expect(String(refused.json.detail)).toMatch(/Only online AWS accounts/);
  });
});
