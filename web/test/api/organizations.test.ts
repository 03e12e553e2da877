import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { addMember, createOrg, signUpUser, type TestUser } from "../support/world.ts";

let server: TestServer;
let owner: TestUser;
let orgId: string;

beforeAll(async () => {
  server = await startTestApp();
  owner = await signUpUser(server.app, "flows");
  orgId = await createOrg(server.app, owner, "flows");
});
afterAll(async () => server?.close());

describe("invitations", () => {
  it("lets the invited email join with the role offered, once", async () => {
    const invitee = await signUpUser(server.app, "invitee");
    const invited = await call(server.app, "POST", `/api/v1/orgs/${orgId}/invitations`, {
      cookie: owner.cookie,
      body: { email: invitee.email, role: "editor" },
    });
    expect(invited.status).toBe(201);
    const token = invited.json.token as string;

    const stranger = await signUpUser(server.app, "stranger");
    const wrongPerson = await call(server.app, "POST", "/api/v1/invitations/accept", {
      cookie: stranger.cookie,
      body: { token },
    });
    expect(wrongPerson.status).toBe(403);

    const accepted = await call(server.app, "POST", "/api/v1/invitations/accept", {
      cookie: invitee.cookie,
      body: { token },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.json.organization).toMatchObject({ id: orgId, role: "editor" });

    const reused = await call(server.app, "POST", "/api/v1/invitations/accept", {
      cookie: invitee.cookie,
      body: { token },
    });
    expect(reused.status).toBe(404);
  });
});

describe("member roles", () => {
  it("keeps the last owner, and only owners make owners", async () => {
    const admin = await signUpUser(server.app, "admin");
    await addMember(server, orgId, admin, "admin");
    const members = await call(server.app, "GET", `/api/v1/orgs/${orgId}/members?limit=200`, {
      cookie: owner.cookie,
    });
    const items = members.json.items as { id: string; userId: string }[];
    const ownerMember = items.find((item) => item.userId === owner.id);
    const adminMember = items.find((item) => item.userId === admin.id);

    const demoteLast = await call(
      server.app,
      "PATCH",
      `/api/v1/orgs/${orgId}/members/${ownerMember?.id}`,
      { cookie: owner.cookie, body: { role: "admin" } },
    );
    expect(demoteLast.status).toBe(409);

    const selfPromote = await call(
      server.app,
      "PATCH",
      `/api/v1/orgs/${orgId}/members/${adminMember?.id}`,
      { cookie: admin.cookie, body: { role: "owner" } },
    );
    expect(selfPromote.status).toBe(403);
  });
});

describe("API keys", () => {
  it("authenticates with the secret once, records last use, and stops at revocation", async () => {
    const created = await call(server.app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
      cookie: owner.cookie,
      body: { name: "ci", scope: "read" },
    });
    const secret = created.json.secret as string;
    const keyId = (created.json.apiKey as { id: string }).id;
    expect(secret).toMatch(/^rfk_[A-Za-z0-9_-]{43}$/);

    const read = await call(server.app, "GET", `/api/v1/orgs/${orgId}/members`, { bearer: secret });
    expect(read.status).toBe(200);
    const write = await call(server.app, "PATCH", `/api/v1/orgs/${orgId}`, {
      bearer: secret,
      body: { name: "By key" },
    });
    expect(write.status).toBe(403);

    const listed = await call(server.app, "GET", `/api/v1/orgs/${orgId}/api-keys`, {
      cookie: owner.cookie,
    });
    const listedKey = (listed.json.items as { id: string; lastUsedAt: string | null }[]).find(
      (key) => key.id === keyId,
    );
    expect(listedKey?.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await call(server.app, "DELETE", `/api/v1/orgs/${orgId}/api-keys/${keyId}`, {
      cookie: owner.cookie,
    });
    const after = await call(server.app, "GET", `/api/v1/orgs/${orgId}/members`, {
      bearer: secret,
    });
    expect(after.status).toBe(401);
  });
});

describe("OpenAPI document", () => {
  it("describes every route at /api/openapi.json", async () => {
    const doc = await call(server.app, "GET", "/api/openapi.json");
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.json.paths as object)).toContain(
      "/api/v1/orgs/{orgId}/members/{memberId}",
    );
  });
});
