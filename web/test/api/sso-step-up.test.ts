import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/client.ts";
import { enrolTotp, injectClock, PASSWORD, type TestClock } from "../support/mfa.ts";
import {
  hop,
  type SsoWorld,
  ssoOrganization,
  ssoSignIn,
  startSsoWorld,
  toCallback,
} from "../support/sso.ts";
import { addMember, signUpUser } from "../support/world.ts";

// A person created by SSO has no usable password, so step-up by code or password is closed to
// them. They step up by logging in again at the provider (prompt=login, max_age=0): over real
// HTTP on loopback, the callback marks their own session stepped-up, and only with a fresh
// auth_time, for the same person, once.
let world: SsoWorld;
let clock: TestClock;
let slug: string;
let orgId: string;
const DOMAIN = "stepup-sso.test";
const STEP_UP_MS = 10 * 60 * 1000;

beforeAll(async () => {
  world = await startSsoWorld();
  clock = injectClock(world.server);
  const connection = { groupRoles: { "rf-admins": "admin" } };
  ({ slug, orgId } = await ssoOrganization(world, "stepup-sso", DOMAIN, connection));
});
afterAll(async () => world?.close());

let people = 0;
/** An admin created just in time by SSO, signed in, with the session aged past the window. */
async function ssoAdmin() {
  people += 1;
  const identity = { sub: `op-stepup-${people}`, email: `admin${people}@${DOMAIN}`, name: "A" };
  world.op.signInAs({ ...identity, groups: ["rf-admins"] });
  const signedIn = await ssoSignIn(world, `org=${slug}`);
  const session = signedIn.cookies.get("rf_session") ?? "";
  expect(session).not.toBe("");
  clock.advance(STEP_UP_MS + 60_000);
  return { identity, session };
}

const createKey = (session: string) =>
  call(world.server.app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
    cookie: session,
    body: { name: "after step-up", scope: "read" },
  });

/** Starts a step-up from `session` and walks to the provider and back, before the callback. */
const toStepUpCallback = (session: string, returnTo = "/orgs") =>
  toCallback(world, `org=${slug}&stepUp=true&returnTo=${encodeURIComponent(returnTo)}`, {
    rf_session: session,
  });

function expectRefused(result: { status: number; body: string }, pattern: RegExp) {
  expect({ status: result.status, body: result.body }).toMatchObject({ status: 401 });
  expect(JSON.parse(result.body).detail).toMatch(pattern);
}

describe("step-up by logging in again at the provider", () => {
  it("lets an SSO-only user step up and then create an API key", async () => {
    const { session } = await ssoAdmin();
    const before = await createKey(session);
    expect({ status: before.status, code: before.json.code }).toEqual({
      status: 401,
      code: "step_up_required",
    });
    const byPassword = await call(world.server.app, "POST", "/api/v1/auth/step-up", {
      cookie: session,
      body: { password: "anything at all" },
    });
    expect({ status: byPassword.status, body: byPassword.json }).toMatchObject({
      status: 400,
      body: {
        code: "invalid_request",
        detail: expect.stringMatching(/has no password; confirm it is you with your identity/),
        errors: [{ path: "password" }],
      },
    });

    const offered = await call(world.server.app, "GET", "/api/v1/me/mfa", { cookie: session });
    expect(offered.json).toMatchObject({
      totp: "none",
      hasPassword: false,
      ssoStepUpOrganization: slug,
    });

    const { authorizeUrl, callbackUrl, state } = await toStepUpCallback(session, "/orgs/keys");
    const asked = new URL(authorizeUrl).searchParams;
    expect({ prompt: asked.get("prompt"), maxAge: asked.get("max_age") }).toEqual({
      prompt: "login",
      maxAge: "0",
    });
    const done = await hop(callbackUrl, { rf_sso_state: state, rf_session: session });
    expect({ status: done.status, location: done.location, body: done.body }).toMatchObject({
      status: 302,
      location: "/orgs/keys",
    });
    expect(done.cookies.get("rf_session") ?? "").toBe("");

    const after = await createKey(session);
    expect({ status: after.status, body: after.body }).toMatchObject({ status: 201 });
    const status = await call(world.server.app, "GET", "/api/v1/me/mfa", { cookie: session });
    expect(Date.parse(status.json.stepUpValidUntil as string)).toBe(clock.now() + STEP_UP_MS);
    const sessions = await call(world.server.app, "GET", "/api/v1/me/sessions", {
      cookie: session,
    });
    expect(sessions.json.items).toHaveLength(1);
  });

  it("refuses an auth_time older than the step-up window", async () => {
    const { session } = await ssoAdmin();
    const { callbackUrl, state } = await toStepUpCallback(session);
    world.op.misbehaveOnce({ authenticatedSecondsAgo: 3600 });
    const done = await hop(callbackUrl, { rf_sso_state: state, rf_session: session });
    expectRefused(done, /too much time has elapsed since the last End-User authentication/);
    expect((await createKey(session)).json.code).toBe("step_up_required");
  });

  it("refuses a provider that reused a login from before the step-up began", async () => {
    const { session } = await ssoAdmin();
    const { callbackUrl, state } = await toStepUpCallback(session);
    world.op.misbehaveOnce({ authenticatedSecondsAgo: 120 });
    const done = await hop(callbackUrl, { rf_sso_state: state, rf_session: session });
    expectRefused(done, /did not authenticate you again \(auth_time is too old\)/);
    expect((await createKey(session)).json.code).toBe("step_up_required");
  });

  it("refuses a step-up in which the provider logged in another person", async () => {
    const { session } = await ssoAdmin();
    const other = await ssoAdmin();
    const started = await hop(`${world.base}/api/v1/auth/sso/start?org=${slug}&stepUp=true`, {
      rf_session: session,
    });
    world.op.signInAs({ ...other.identity, groups: ["rf-admins"] });
    const atProvider = await hop(started.location ?? "");
    const state = started.cookies.get("rf_sso_state") ?? "";
    const done = await hop(atProvider.location ?? "", { rf_sso_state: state, rf_session: session });
    expectRefused(done, new RegExp(`signed in ${other.identity.email}, not this session's user`));
    expect((await createKey(session)).json.code).toBe("step_up_required");
  });

  it("refuses a step-up callback brought back by another session", async () => {
    const { session } = await ssoAdmin();
    const other = await ssoAdmin();
    const { callbackUrl, state } = await toStepUpCallback(session);
    const done = await hop(callbackUrl, { rf_sso_state: state, rf_session: other.session });
    expectRefused(done, /started by another session/);
    expect((await createKey(other.session)).json.code).toBe("step_up_required");
    expect((await createKey(session)).json.code).toBe("step_up_required");
  });

  it("cannot be replayed: the second callback finds no step-up and redeems no code", async () => {
    const { session } = await ssoAdmin();
    const { callbackUrl, state } = await toStepUpCallback(session);
    const cookies = { rf_sso_state: state, rf_session: session };
    expect((await hop(callbackUrl, cookies)).status).toBe(302);
    const redeemed = world.op.tokenRequests.length;

    clock.advance(STEP_UP_MS + 60_000);
    const replayed = await hop(callbackUrl, cookies);
    expectRefused(replayed, /unknown or was already used/);
    expect(world.op.tokenRequests.length).toBe(redeemed);
    expect((await createKey(session)).json.code).toBe("step_up_required");
  });

  it("is refused without a session, and to a user with a second factor", async () => {
    const anonymous = await hop(`${world.base}/api/v1/auth/sso/start?org=${slug}&stepUp=true`);
    expect({ status: anonymous.status, body: anonymous.body }).toMatchObject({ status: 401 });

    const withTotp = await signUpUser(world.server.app, "stepup-totp");
    await addMember(world.server, orgId, withTotp, "admin");
    // Enrolment itself asks for a recent step-up, and the test clock has moved on.
    const byPassword = await call(world.server.app, "POST", "/api/v1/auth/step-up", {
      cookie: withTotp.cookie,
      body: { password: PASSWORD },
    });
    expect(byPassword.status).toBe(200);
    await enrolTotp(world.server, withTotp, clock);
    const refused = await hop(`${world.base}/api/v1/auth/sso/start?org=${slug}&stepUp=true`, {
      rf_session: withTotp.cookie,
    });
    expect({ status: refused.status, body: refused.body }).toMatchObject({ status: 400 });
    expect(JSON.parse(refused.body).detail).toMatch(/has a second factor; step up with a code/);
  });
});
