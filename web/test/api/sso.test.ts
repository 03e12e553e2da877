import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call, sessionFrom } from "../support/client.ts";
import {
  CLIENT_ID,
  CLIENT_SECRET,
  hop,
  type SsoWorld,
  ssoSignIn,
  startSsoWorld,
  toCallback,
} from "../support/sso.ts";
import { addMember, createOrg, signUpUser, type TestUser } from "../support/world.ts";

// OIDC sign-in against a real provider on loopback: every hop is real HTTP (control plane →
// provider → control plane), the provider signs real ID tokens, and the control plane reaches
// it only through its SSRF guard with 127.0.0.1 allowlisted.
let world: SsoWorld;
let owner: TestUser;
let orgId: string;
let slug: string;
const DOMAIN = "acme-sso.test";

beforeAll(async () => {
  world = await startSsoWorld();
  owner = await signUpUser(world.server.app, "sso-owner");
  slug = `sso-${Date.now()}`;
  orgId = await createOrg(world.server.app, owner, slug);
  await verifyDomain(orgId, DOMAIN);
  const saved = await saveConnection({
    groupRoles: { "rf-admins": "admin", "rf-editors": "editor" },
  });
  expect({ status: saved.status, body: saved.body }).toMatchObject({ status: 200 });
});
afterAll(async () => world?.close());

const api = (method: string, path: string, body?: unknown, cookie = owner.cookie) =>
  call(world.server.app, method, path, { cookie, ...(body === undefined ? {} : { body }) });

function saveConnection(extra: Record<string, unknown> = {}, org = orgId) {
  return api("PUT", `/api/v1/orgs/${org}/sso`, {
    issuer: world.op.issuer,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    ...extra,
  });
}

async function verifyDomain(org: string, domain: string, cookie = owner.cookie) {
  const added = await api("POST", `/api/v1/orgs/${org}/sso/domains`, { domain }, cookie);
  expect({ status: added.status, body: added.body }).toMatchObject({ status: 201 });
  world.zone.set(added.json.txtName as string, [[added.json.txtValue as string]]);
  return api("POST", `/api/v1/orgs/${org}/sso/domains/${added.json.id}/verify`, {}, cookie);
}

let people = 0;
function person(groups: string[] = [], domain = DOMAIN) {
  people += 1;
  const user = {
    sub: `op-user-${people}`,
    email: `person${people}@${domain}`,
    name: `P ${people}`,
    groups,
  };
  world.op.signInAs(user);
  return user;
}

async function meWith(cookie: string) {
  return call(world.server.app, "GET", "/api/v1/me", { cookie });
}

function expectRefused(
  result: { status: number; body: string; cookies: Map<string, string> },
  pattern: RegExp,
) {
  expect({ status: result.status, body: result.body }).toMatchObject({ status: 401 });
  expect(JSON.parse(result.body).detail).toMatch(pattern);
  expect(result.cookies.has("rf_session")).toBe(false);
}

describe("sign-in through the provider", () => {
  it("signs a new person in just in time with the default role and an SSO session", async () => {
    const someone = person();
    const result = await ssoSignIn(world, `org=${slug}&returnTo=/orgs`);
    expect({ status: result.status, location: result.location }).toEqual({
      status: 302,
      location: "/orgs",
    });
    const cookie = result.cookies.get("rf_session") ?? "";
    const me = await meWith(cookie);
    expect(me.json.user).toMatchObject({ email: someone.email, name: someone.name });
    expect(me.json.organizations).toEqual([expect.objectContaining({ id: orgId, role: "viewer" })]);

    const sessions = await call(world.server.app, "GET", "/api/v1/me/sessions", { cookie });
    expect(sessions.json.items).toEqual([
      expect.objectContaining({ method: "sso", current: true }),
    ]);
  });

  it("sends PKCE S256, state and nonce to the provider and finds the org by email domain", async () => {
    person();
    const { authorizeUrl } = await toCallback(world, `email=someone@${DOMAIN}`);
    const query = new URL(authorizeUrl).searchParams;
    expect(query.get("code_challenge_method")).toBe("S256");
    expect(query.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(query.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(query.get("nonce")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(query.get("login_hint")).toBe(`someone@${DOMAIN}`);
    expect(query.get("client_id")).toBe(CLIENT_ID);
    expect(authorizeUrl).not.toContain(CLIENT_SECRET);
  });

  it("maps IdP groups to roles at every sign-in, but never makes an owner", async () => {
    const someone = person(["rf-admins", "unrelated"]);
    const first = await ssoSignIn(world, `org=${slug}`);
    const me = await meWith(first.cookies.get("rf_session") ?? "");
    expect(me.json.organizations).toEqual([expect.objectContaining({ role: "admin" })]);

    world.op.signInAs({ ...someone, groups: ["rf-editors"] });
    const second = await ssoSignIn(world, `org=${slug}`);
    const after = await meWith(second.cookies.get("rf_session") ?? "");
    expect(after.json.organizations).toEqual([expect.objectContaining({ role: "editor" })]);

    const ownerMapping = await saveConnection({ groupRoles: { "rf-owners": "owner" } });
    expect(ownerMapping.status).toBe(400);
    expect(ownerMapping.json.errors).toEqual([
      expect.objectContaining({ path: "groupRoles.rf-owners" }),
    ]);
  });

  it("signs an existing password user of the verified domain into the same account", async () => {
    const email = `existing@${DOMAIN}`;
    const signedUp = await call(world.server.app, "POST", "/api/v1/auth/sign-up", {
      body: { email, password: "correct horse battery", name: "Existing" },
    });
    world.op.signInAs({ sub: "op-existing", email, name: "Existing" });
    const result = await ssoSignIn(world, `org=${slug}`);
    const me = await meWith(result.cookies.get("rf_session") ?? "");
    expect((me.json.user as { id: string }).id).toBe((signedUp.json.user as { id: string }).id);
  });

  it("refuses an address outside the organisation's verified domains", async () => {
    person([], "elsewhere.test");
    expectRefused(
      await ssoSignIn(world, `org=${slug}`),
      /elsewhere\.test is not a verified domain/,
    );
  });

  it("refuses an address the provider marks unverified", async () => {
    world.op.signInAs({
      sub: "op-unverified",
      email: `unverified@${DOMAIN}`,
      emailVerified: false,
    });
    expectRefused(await ssoSignIn(world, `org=${slug}`), /not verified/);
  });

  it("sends a browser back to the sign-in page with the reason", async () => {
    person([], "elsewhere.test");
    const { callbackUrl, state } = await toCallback(world, `org=${slug}`);
    const result = await hop(callbackUrl, { rf_sso_state: state }, "text/html");
    expect(result.status).toBe(302);
    expect(decodeURIComponent(result.location ?? "")).toMatch(
      /^\/sign-in\?ssoError=Single sign-on failed: elsewhere\.test is not a verified domain/,
    );
  });
});

describe("ID token validation", () => {
  const cases: [string, Parameters<SsoWorld["op"]["misbehaveOnce"]>[0], RegExp][] = [
    ["a wrong nonce", { nonce: "not-the-nonce-we-sent" }, /nonce/],
    ["a wrong audience", { audience: "some-other-client" }, /"aud"/],
    ["a wrong issuer", { issuer: "http://127.0.0.1:9/" }, /"iss"/],
    ["an expired token", { expiresIn: -120 }, /"exp".*past/],
    ["a tampered signature", { tamperSignature: true }, /signature/],
  ];
  it.each(cases)("refuses %s with a clear error and no session", async (_, fault, pattern) => {
    person();
    world.op.misbehaveOnce(fault);
    expectRefused(await ssoSignIn(world, `org=${slug}`), pattern);
  });

  it("accepts a token within the 30 s clock tolerance", async () => {
    person();
    world.op.misbehaveOnce({ expiresIn: -10 });
    const result = await ssoSignIn(world, `org=${slug}`);
    expect(result.status).toBe(302);
    expect(result.cookies.has("rf_session")).toBe(true);
  });
});

describe("the flow cannot be replayed or crossed", () => {
  it("refuses a replayed callback: the state works once", async () => {
    person();
    const { callbackUrl, state } = await toCallback(world, `org=${slug}`);
    expect((await hop(callbackUrl, { rf_sso_state: state })).status).toBe(302);
    expectRefused(await hop(callbackUrl, { rf_sso_state: state }), /unknown or was already used/);
  });

  it("refuses a callback in a browser that did not start the flow (login CSRF)", async () => {
    person();
    const { callbackUrl } = await toCallback(world, `org=${slug}`);
    expectRefused(await hop(callbackUrl), /not started in this browser/);
  });

  it("refuses a code from another flow: the provider's PKCE check fails", async () => {
    person();
    const mine = await toCallback(world, `org=${slug}`);
    const theirs = await toCallback(world, `org=${slug}`);
    const crossed = new URL(mine.callbackUrl);
    crossed.searchParams.set("code", new URL(theirs.callbackUrl).searchParams.get("code") ?? "");
    const before = world.op.tokenRequests.length;

    expectRefused(await hop(crossed.toString(), { rf_sso_state: mine.state }), /PKCE/);
    expect(world.op.tokenRequests.slice(before)).toEqual([{ status: 400, error: "invalid_grant" }]);
  });

  it("refuses a return path that leaves the console", async () => {
    for (const returnTo of ["//evil.example/", "/\\evil.example", "https://evil.example/"]) {
      const start = await hop(
        `${world.base}/api/v1/auth/sso/start?org=${slug}&returnTo=${encodeURIComponent(returnTo)}`,
      );
      expect({ returnTo, status: start.status }).toEqual({ returnTo, status: 400 });
    }
  });
});

describe("require SSO", () => {
  it("refuses members' password sign-in, ends their password sessions, keeps owners' break-glass", async () => {
    const member = await signUpUser(world.server.app, "pw-member");
    await addMember(world.server, orgId, member, "editor");
    const saved = await saveConnection({ requireSso: true });
    expect(saved.json.requireSso).toBe(true);

    expect((await meWith(member.cookie)).status).toBe(401);
    const signIn = (email: string) =>
      call(world.server.app, "POST", "/api/v1/auth/sign-in", {
        body: { email, password: "correct horse battery" },
      });
    const refused = await signIn(member.email);
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 403,
      code: "forbidden",
    });
    expect(refused.json.detail).toMatch(/requires single sign-on/);

    const ownerSignIn = await signIn(owner.email);
    expect(ownerSignIn.status).toBe(200);
    owner = { ...owner, cookie: sessionFrom(ownerSignIn.headers) };

    await saveConnection({ requireSso: false });
    expect((await signIn(member.email)).status).toBe(200);
  });

  it("cannot be turned on while the connection is off", async () => {
    const result = await saveConnection({ requireSso: true, enabled: false });
    expect(result.status).toBe(400);
    expect(result.json.errors).toEqual([expect.objectContaining({ path: "requireSso" })]);
  });
});
