import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ssoConnections } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/client.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  type SsoWorld,
  ssoSignIn,
  startSsoWorld,
} from "../support/sso.ts";
import { addMember, createOrg, signUpUser, type TestUser } from "../support/world.ts";

// Configuring SSO: what an organisation's owner can make the control plane fetch, how a domain
// is proven, and that the client secret is stored sealed and never shown again.
let world: SsoWorld;
let owner: TestUser;
let orgId: string;
let slug: string;

beforeAll(async () => {
  world = await startSsoWorld("ES256");
  owner = await signUpUser(world.server.app, "config-owner");
  slug = `cfg-${Date.now()}`;
  orgId = await createOrg(world.server.app, owner, slug);
});
afterAll(async () => world?.close());

const api = (method: string, path: string, body?: unknown, cookie = owner.cookie) =>
  call(world.server.app, method, path, { cookie, ...(body === undefined ? {} : { body }) });

const save = (body: Record<string, unknown>, org = orgId) =>
  api("PUT", `/api/v1/orgs/${org}/sso`, {
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...body,
  });

/** An organisation without a connection answers 200 `{ configured: false }`, not a 404. */
async function expectNotConfigured(org: string) {
  const result = await api("GET", `/api/v1/orgs/${org}/sso`);
  expect({ status: result.status, body: result.json }).toEqual({
    status: 200,
    body: { configured: false },
  });
}

describe("domain verification by DNS TXT", () => {
  it("verifies a domain only once its TXT record holds the token", async () => {
    const added = await api("POST", `/api/v1/orgs/${orgId}/sso/domains`, {
      domain: "Example-Corp.TEST.",
    });
    expect(added.status).toBe(201);
    expect(added.json).toMatchObject({
      domain: "example-corp.test",
      verified: false,
      txtName: "_ringfence-challenge.example-corp.test",
      txtValue: expect.stringMatching(/^ringfence-domain-verification=[A-Za-z0-9_-]{43}$/),
    });
    const verify = () =>
      api("POST", `/api/v1/orgs/${orgId}/sso/domains/${added.json.id}/verify`, {});

    const missing = await verify();
    expect({ status: missing.status, detail: missing.json.detail }).toEqual({
      status: 400,
      detail: expect.stringContaining("No TXT record at _ringfence-challenge.example-corp.test"),
    });

    world.zone.set(added.json.txtName as string, [
      ["v=spf1 -all"],
      ["ringfence-domain-verification=wrong"],
    ]);
    expect((await verify()).status).toBe(400);

    // A long TXT value arrives as several character strings; they are joined before comparing.
    const value = added.json.txtValue as string;
    world.zone.set(added.json.txtName as string, [[value.slice(0, 20), value.slice(20)]]);
    const verified = await verify();
    expect(verified.json).toMatchObject({ verified: true, verifiedAt: expect.any(String) });
  });

  it("lets only one organisation verify a domain", async () => {
    const otherOwner = await signUpUser(world.server.app, "other-owner");
    const otherOrg = await createOrg(world.server.app, otherOwner, `other-${Date.now()}`);
    const added = await api(
      "POST",
      `/api/v1/orgs/${otherOrg}/sso/domains`,
      { domain: "example-corp.test" },
      otherOwner.cookie,
    );
    world.zone.set(added.json.txtName as string, [[added.json.txtValue as string]]);
    const result = await api(
      "POST",
      `/api/v1/orgs/${otherOrg}/sso/domains/${added.json.id}/verify`,
      {},
      otherOwner.cookie,
    );
    expect({ status: result.status, detail: result.json.detail }).toEqual({
      status: 409,
      detail: "example-corp.test is already verified by another organisation.",
    });
  });

  it("refuses what is not a domain name, naming the field", async () => {
    for (const domain of ["localhost", "10.0.0.1", "exa mple.test", "-bad.test", "a".repeat(300)]) {
      const result = await api("POST", `/api/v1/orgs/${orgId}/sso/domains`, { domain });
      expect({ domain, status: result.status, errors: result.json.errors }).toMatchObject({
        status: 400,
        errors: expect.arrayContaining([expect.objectContaining({ path: "domain" })]),
      });
    }
  });
});

describe("what an owner can make the control plane fetch", () => {
  let redirector: Server;
  let redirectorUrl: string;

  beforeAll(async () => {
    // An "issuer" on loopback that answers discovery with a redirect to the metadata service.
    redirector = createServer((_req, res) => {
      res.writeHead(302, { location: "http://169.254.169.254/latest/meta-data/" });
      res.end();
    });
    await new Promise<void>((resolve) => redirector.listen(0, "127.0.0.1", resolve));
    redirectorUrl = `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => redirector.close(() => resolve())));

  const refusals: [string, string, RegExp][] = [
    ["the metadata service", "http://169.254.169.254", /SSRF guard/],
    ["a name resolving to a private address", "https://idp.corp.test", /SSRF guard/],
    ["an IPv4-mapped metadata address", "http://[::ffff:a9fe:a9fe]", /SSRF guard/],
  ];
  it.each(refusals)("refuses an issuer at %s and stores nothing", async (_, issuer, pattern) => {
    world.hosts.set("idp.corp.test", ["10.20.30.40"]);
    const result = await save({ issuer });
    expect({ status: result.status, detail: result.json.detail }).toEqual({
      status: 400,
      detail: expect.stringMatching(pattern),
    });
    await expectNotConfigured(orgId);
  });

  it("does not follow a redirect from the issuer", async () => {
    const result = await save({ issuer: redirectorUrl });
    expect(result.status).toBe(400);
    expect(result.json.detail).toMatch(/discovery document .* cannot be used/);
    await expectNotConfigured(orgId);
  });

  it("refuses an issuer whose discovery document names another issuer", async () => {
    const result = await save({ issuer: `${world.op.issuer}/tenant` });
    expect(result.status).toBe(400);
    await expectNotConfigured(orgId);
  });
});

describe("the stored connection", () => {
  it("keeps the client secret sealed, never shows it, and keeps it when an update leaves it out", async () => {
    const created = await save({ issuer: world.op.issuer, groupRoles: { ops: "editor" } });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({
      clientSecretSet: true,
      redirectUri: "http://localhost/api/v1/auth/sso/callback",
      defaultRole: "viewer",
      claims: { email: "email", name: "name", groups: "groups" },
    });
    expect(JSON.stringify(created.body)).not.toContain(CLIENT_SECRET);
    const [row] = await world.server.database.db
      .select()
      .from(ssoConnections)
      .where(eq(ssoConnections.organizationId, orgId));
    expect(row?.clientSecretSealed).not.toContain(CLIENT_SECRET);

    const updated = await api("PUT", `/api/v1/orgs/${orgId}/sso`, {
      issuer: world.op.issuer,
      clientId: CLIENT_ID,
      defaultRole: "editor",
    });
    expect(updated.json).toMatchObject({ defaultRole: "editor", clientSecretSet: true });

    // The kept secret still authenticates at the provider (an ES256 one): a full sign-in works.
    world.op.signInAs({ sub: "es-user", email: "es-user@example-corp.test", name: "ES" });
    const signedIn = await ssoSignIn(world, `org=${slug}`);
    expect({ status: signedIn.status, body: signedIn.body }).toMatchObject({ status: 302 });
    const me = await call(world.server.app, "GET", "/api/v1/me", {
      cookie: signedIn.cookies.get("rf_session") ?? "",
    });
    expect(me.json.organizations).toEqual([expect.objectContaining({ role: "editor" })]);
  });

  it("needs the client secret when creating", async () => {
    const freshOrg = await createOrg(world.server.app, owner, `fresh-${Date.now()}`);
    const result = await api("PUT", `/api/v1/orgs/${freshOrg}/sso`, {
      issuer: world.op.issuer,
      clientId: CLIENT_ID,
    });
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([expect.objectContaining({ path: "clientSecret" })]);
  });

  it("refuses to require SSO before a domain is verified", async () => {
    const freshOrg = await createOrg(world.server.app, owner, `unverified-${Date.now()}`);
    const result = await save({ issuer: world.op.issuer, requireSso: true }, freshOrg);
    expect(result.status).toBe(400);
    expect(result.json.detail).toMatch(/Verify an email domain/);
  });

  it("lets an admin read the connection but only an owner change it", async () => {
    const admin = await signUpUser(world.server.app, "config-admin");
    await addMember(world.server, orgId, admin, "admin");
    expect((await api("GET", `/api/v1/orgs/${orgId}/sso`, undefined, admin.cookie)).status).toBe(
      200,
    );
    const refused = await api(
      "PUT",
      `/api/v1/orgs/${orgId}/sso`,
      { issuer: world.op.issuer, clientId: "x" },
      admin.cookie,
    );
    expect(refused.status).toBe(403);
  });

  it("turns SSO off when the connection is removed", async () => {
    const removed = await api("DELETE", `/api/v1/orgs/${orgId}/sso`);
    expect(removed.status).toBe(204);
    await expectNotConfigured(orgId);
    const start = await fetch(`${world.base}/api/v1/auth/sso/start?org=${slug}`, {
      redirect: "manual",
    });
    expect(start.status).toBe(404);
  });
});
