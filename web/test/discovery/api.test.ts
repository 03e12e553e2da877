import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

let server: TestServer;
let owner: TestUser;
let orgId: string;

beforeAll(async () => {
  // The test app comes with its enforcement runtime (and key-encryption key) prepared.
  server = await startTestApp();
  owner = await signUpUser(server.app, "discover");
  orgId = await createOrg(server.app, owner, `disc-${Date.now()}`);
});
afterAll(async () => server?.close());

const api = (method: string, path: string, body?: unknown) =>
  call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });

const canonical = (assets: unknown[]) => JSON.stringify({ schemaVersion: 1, assets });
const instance = (id: string, tokens: string) => ({
  id,
  provider: "aws",
  kind: "instance",
  account: "111122223333",
  region: "us-east-1",
  addresses: { private: ["10.0.0.5"], public: [] },
  attributes: { instance_id: id, "imds.http_tokens": tokens },
  tags: { app: "web" },
});

describe("accounts, import, inventory and posture over the API", () => {
  it("onboards an AWS account with an ExternalId Ringfence generated", async () => {
    const result = await api("POST", "/accounts", {
      provider: "aws",
      name: "prod",
      accountId: "111122223333",
    });
    expect(result.status).toBe(201);
    expect(result.json).toMatchObject({
      provider: "aws",
      status: "pending",
      roleArn: "arn:aws:iam::111122223333:role/RingfenceReadOnly",
      hasSecret: false,
    });
    expect(result.json.externalId).toMatch(/^rf-[0-9a-f]{32}$/);
    const again = await api("POST", "/accounts", {
      provider: "aws",
      name: "prod",
      accountId: "111122223333",
    });
    expect(again.status).toBe(409);
  });

  it("refuses a customer-chosen ExternalId", async () => {
    const result = await api("POST", "/accounts", {
      provider: "aws",
      name: "x",
      accountId: "222233334444",
      externalId: "mine",
    });
    expect(result.status).toBe(400);
  });

  it("never returns an Azure client secret, only that one is stored", async () => {
    const ids = {
      subscriptionId: crypto.randomUUID(),
      tenantId: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
    };
    const result = await api("POST", "/accounts", {
      provider: "azure",
      name: "sub",
      ...ids,
      credential: { kind: "secret", clientSecret: "very-secret-value" },
    });
    expect(result.status).toBe(201);
    expect(result.json.hasSecret).toBe(true);
    expect(JSON.stringify(result.body)).not.toContain("very-secret-value");
  });

  it("imports nothing from a malformed file and names file, record and field", async () => {
    const created = await api("POST", "/accounts", {
      provider: "aws",
      name: "demo",
      accountId: "999988887777",
      offline: true,
    });
    const accountId = created.json.id as string;
    const good = { name: "good.json", text: canonical([instance("i-1", "required")]) };
    const bad = {
      name: "bad.json",
      text: canonical([
        { ...instance("i-2", "optional"), addresses: { private: ["10.0.0.999"], public: [] } },
      ]),
    };
    const refused = await api("POST", `/accounts/${accountId}/import`, { files: [good, bad] });
    expect(refused.status).toBe(400);
    expect(String(refused.json.detail)).toMatch(
      /^Nothing was imported: bad\.json: .*assets\[0\]\.addresses\.private\[0\]/,
    );
    const empty = await api("GET", `/inventory?accountId=${accountId}`);
    expect(empty.json.items).toEqual([]);

    const imported = await api("POST", `/accounts/${accountId}/import`, {
      files: [good, { name: "more.json", text: canonical([instance("i-3", "optional")]) }],
    });
    expect(imported.status).toBe(200);
    expect(imported.json).toMatchObject({ added: 2, changed: 0, removed: 0 });
    const listed = await api("GET", `/inventory?accountId=${accountId}&kind=instance`);
    expect(
      (listed.json.items as { asset: { id: string } }[]).map((item) => item.asset.id).sort(),
    ).toEqual(["i-1", "i-3"]);

    const sync = await api("POST", `/accounts/${accountId}/sync`, {});
    expect(sync.status).toBe(409);
    expect(String(sync.json.detail)).toMatch(/offline/);
  });

  it("lists posture findings with the fix for an IMDSv1 instance", async () => {
    const result = await api("GET", "/posture?vpce=vpce-gw1");
    expect(result.status).toBe(200);
    const items = result.json.items as {
      assetId: string;
      kind: string;
      fix: { document: unknown };
    }[];
    expect(items).toEqual([expect.objectContaining({ assetId: "i-3", kind: "imds_v1_allowed" })]);
    expect(items[0]?.fix.document).toMatchObject({ InstanceId: "i-3", HttpTokens: "required" });
  });
});
