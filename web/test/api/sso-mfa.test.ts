import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/client.ts";
import { enrolTotp, injectClock, type TestClock, verifyChallenge } from "../support/mfa.ts";
import { type SsoWorld, ssoOrganization, ssoSignIn, startSsoWorld } from "../support/sso.ts";
import { addMember, signUpUser } from "../support/world.ts";

// SSO proves the first factor only: a member with TOTP still owes the code after the provider
// signed them in, and the session that the code finally opens remembers it came through SSO.
let world: SsoWorld;
let clock: TestClock;
let slug: string;
let orgId: string;

beforeAll(async () => {
  world = await startSsoWorld();
  clock = injectClock(world.server);
  ({ slug, orgId } = await ssoOrganization(world, "mfa-sso", "example.test"));
});
afterAll(async () => world?.close());

describe("SSO and a second factor", () => {
  it("asks a member with TOTP for the code before any session exists", async () => {
    const member = await signUpUser(world.server.app, "mfa-member");
    await addMember(world.server, orgId, member, "editor");
    const { authenticator } = await enrolTotp(world.server, member, clock);

    world.op.signInAs({ sub: "op-mfa-member", email: member.email, name: "M" });
    const result = await ssoSignIn(world, `org=${slug}&returnTo=/orgs`);
    expect({ status: result.status, location: result.location }).toEqual({
      status: 302,
      location: "/sign-in/mfa?returnTo=%2Forgs",
    });
    expect(result.cookies.has("rf_session")).toBe(false);
    const challenge = result.cookies.get("rf_mfa_challenge") ?? "";
    expect(challenge).not.toBe("");

    clock.advance(30_000);
    const { cookie } = await verifyChallenge(world.server, challenge, {
      code: authenticator.codeAt(clock.now()),
    });
    const sessions = await call(world.server.app, "GET", "/api/v1/me/sessions", {
      cookie: cookie ?? "",
    });
    expect(sessions.json.items).toContainEqual(
      expect.objectContaining({ current: true, method: "sso" }),
    );
  });
});

describe("turning TOTP off without a password", () => {
  it("still asks a person with a password for it", async () => {
    const member = await signUpUser(world.server.app, "mfa-has-password");
    const { authenticator } = await enrolTotp(world.server, member, clock);
    clock.advance(30_000);
    const codeOnly = await call(world.server.app, "POST", "/api/v1/me/mfa/totp/disable", {
      cookie: member.cookie,
      body: { code: authenticator.codeAt(clock.now()) },
    });
    expect({ status: codeOnly.status, body: codeOnly.json }).toMatchObject({
      status: 400,
      body: { code: "invalid_request", errors: [{ path: "password" }] },
    });
  });

  it("takes a code and a fresh login at the provider, for a person SSO created", async () => {
    const identity = { sub: "op-mfa-jit", email: "jit-person@example.test", name: "J" };
    world.op.signInAs(identity);
    const first = await ssoSignIn(world, `org=${slug}`);
    const session = first.cookies.get("rf_session") ?? "";
    expect(session).not.toBe("");
    const me = await call(world.server.app, "GET", "/api/v1/me", { cookie: session });
    const person = { id: me.json.id as string, email: identity.email, cookie: session };
    const { authenticator } = await enrolTotp(world.server, person, clock);
    const disable = (cookie: string, body: Record<string, string>) =>
      call(world.server.app, "POST", "/api/v1/me/mfa/totp/disable", { cookie, body });

    // A password is refused outright: the account has none to check.
    clock.advance(30_000);
    const withPassword = await disable(session, {
      password: "anything at all",
      code: authenticator.codeAt(clock.now()),
    });
    expect({ status: withPassword.status, detail: withPassword.json.detail }).toMatchObject({
      status: 400,
      detail: expect.stringMatching(/has no password/),
    });

    // The session's SSO login is older than the step-up window: the code alone is not enough.
    clock.advance(11 * 60_000);
    const stale = await disable(session, { code: authenticator.codeAt(clock.now()) });
    expect({ status: stale.status, code: stale.json.code }).toEqual({
      status: 401,
      code: "step_up_required",
    });
    expect(stale.json.detail).toMatch(/sign in again through your identity provider/);
    const still = await call(world.server.app, "GET", "/api/v1/me/mfa", { cookie: session });
    expect(still.json).toMatchObject({ totp: "active", hasPassword: false });

    // A new login at the provider, completed with the code, is the first factor. Sessions start
    // on the real clock, so the test clock comes back to it, two minutes on: past every code
    // step used so far (a code is accepted once), well inside the step-up window.
    clock = injectClock(world.server);
    clock.advance(2 * 60_000);
    world.op.signInAs(identity);
    const again = await ssoSignIn(world, `org=${slug}`);
    clock.advance(30_000);
    const { cookie } = await verifyChallenge(
      world.server,
      again.cookies.get("rf_mfa_challenge") ?? "",
      {
        code: authenticator.codeAt(clock.now()),
      },
    );
    clock.advance(30_000);
    const done = await disable(cookie ?? "", { code: authenticator.codeAt(clock.now()) });
    expect({ status: done.status, body: done.body }).toMatchObject({ status: 204 });
    const off = await call(world.server.app, "GET", "/api/v1/me/mfa", { cookie: cookie ?? "" });
    expect(off.json.totp).toBe("none");
  });
});
