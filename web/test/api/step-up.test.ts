import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fillPath, type RouteCase } from "../security/route-case.ts";
import { routeCases } from "../security/routes/index.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { enrolTotp, injectClock, PASSWORD, type TestClock } from "../support/mfa.ts";
import { buildWorld, signUpUser, type World } from "../support/world.ts";

// Step-up: a session may take sensitive actions only within RINGFENCE_STEP_UP_MINUTES (10 by
// default) of its sign-in or its last re-verification. The clock is injected, so the window's
// edges are walked exactly instead of waited for.
let server: TestServer;
let clock: TestClock;
let world: World;

const MINUTE = 60_000;
const WINDOW = 10 * MINUTE;

/** The routes that must ask for a recent proof, and no others. */
const SENSITIVE = [
  "POST /api/v1/me/mfa/totp",
  "POST /api/v1/me/mfa/recovery-codes",
  "POST /api/v1/orgs/{orgId}/accounts",
  "POST /api/v1/orgs/{orgId}/api-keys",
  "DELETE /api/v1/orgs/{orgId}/api-keys/{keyId}",
  "POST /api/v1/orgs/{orgId}/api-keys/{keyId}/rotate",
  "POST /api/v1/orgs/{orgId}/data-keys/rotate",
  "POST /api/v1/orgs/{orgId}/enforcer-registrations",
  "POST /api/v1/orgs/{orgId}/enforcers/{enforcerId}/revoke",
  "POST /api/v1/orgs/{orgId}/signing-key/rotate",
  "POST /api/v1/orgs/{orgId}/integrations",
  "PATCH /api/v1/orgs/{orgId}/integrations/{integrationId}",
  "DELETE /api/v1/orgs/{orgId}/integrations/{integrationId}",
  "PATCH /api/v1/orgs/{orgId}/members/{memberId}",
  "PUT /api/v1/orgs/{orgId}/mfa-requirement",
  "PUT /api/v1/orgs/{orgId}/sso",
  "DELETE /api/v1/orgs/{orgId}/sso",
  "POST /api/v1/orgs/{orgId}/sso/domains/{domainId}/verify",
].sort();

beforeAll(async () => {
  server = await startTestApp();
  clock = injectClock(server);
  world = await buildWorld(server);
});
afterAll(async () => server?.close());

describe("the step-up window", () => {
  it("lets a fresh session act, and refuses it after the window with step_up_required", async () => {
    const owner = await signUpUser(server.app, "window-owner");
    const orgId = (
      await call(server.app, "POST", "/api/v1/orgs", {
        cookie: owner.cookie,
        body: { name: "Window", slug: `window-${Date.now()}` },
      })
    ).json.id as string;
    const mint = () =>
      call(server.app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
        cookie: owner.cookie,
        body: { name: "k", scope: "read" },
      });

    const start = clock.now();
    expect((await mint()).status).toBe(201);

    clock.advance(WINDOW - MINUTE);
    expect((await mint()).status).toBe(201);

    clock.advance(2 * MINUTE);
    const stale = await mint();
    expect({ status: stale.status, code: stale.json.code }).toEqual({
      status: 401,
      code: "step_up_required",
    });
    expect(stale.headers.get("content-type")).toContain("application/problem+json");

    // The person reads plain words; a client follows the actions.
    expect(stale.json.detail).toBe(
      "Confirm it is you with a code from your authenticator, your password or your identity provider, then try again.",
    );
    expect(stale.json.actions).toEqual([
      { method: "POST", path: "/api/v1/auth/step-up", purpose: "step_up" },
      { method: "GET", path: "/api/v1/auth/sso/start?stepUp=true", purpose: "sso_step_up" },
    ]);

    // Reads are not sensitive: the stale session still lists the keys.
    const list = await call(server.app, "GET", `/api/v1/orgs/${orgId}/api-keys`, {
      cookie: owner.cookie,
    });
    expect(list.status).toBe(200);
    clock.advance(start - clock.now());
  });

  it("reopens for the window after re-entering the password, and not before", async () => {
    const user = await signUpUser(server.app, "password");
    const stepUp = (password: string) =>
      call(server.app, "POST", "/api/v1/auth/step-up", {
        cookie: user.cookie,
        body: { password },
      });
    const start = clock.now();
    clock.advance(WINDOW + MINUTE);
    const enrol = () =>
      call(server.app, "POST", "/api/v1/me/mfa/totp", { cookie: user.cookie, body: {} });
    expect((await enrol()).json.code).toBe("step_up_required");

    const wrong = await stepUp("not the password");
    expect({ status: wrong.status, code: wrong.json.code }).toEqual({
      status: 401,
      code: "invalid_credentials",
    });
    expect((await enrol()).json.code).toBe("step_up_required");

    const ok = await stepUp(PASSWORD);
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.json.validUntil as string)).toBe(clock.now() + WINDOW);
    expect((await enrol()).status).toBe(201);

    clock.advance(WINDOW);
    expect((await enrol()).status).toBe(201);
    clock.advance(1);
    expect((await enrol()).json.code).toBe("step_up_required");
    clock.advance(start - clock.now());
  });

  it("asks a user with a second factor for a code, not the password", async () => {
    const user = await signUpUser(server.app, "coded");
    const { authenticator } = await enrolTotp(server, user, clock);
    const start = clock.now();
    clock.advance(WINDOW + MINUTE);

    const byPassword = await call(server.app, "POST", "/api/v1/auth/step-up", {
      cookie: user.cookie,
      body: { password: PASSWORD },
    });
    expect({ status: byPassword.status, code: byPassword.json.code }).toEqual({
      status: 400,
      code: "invalid_request",
    });
    const byCode = await call(server.app, "POST", "/api/v1/auth/step-up", {
      cookie: user.cookie,
      body: { code: authenticator.codeAt(clock.now()) },
    });
    expect(byCode.status).toBe(200);
    const status = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: user.cookie });
    expect(status.json.stepUpValidUntil).toBe(new Date(clock.now() + WINDOW).toISOString());
    clock.advance(start - clock.now());
  });

  it("does not ask API keys: a machine client has no second factor to give", async () => {
    clock.advance(WINDOW + MINUTE);
    const byKey = await call(server.app, "POST", `/api/v1/orgs/${world.a.orgId}/accounts`, {
      bearer: world.writeKeyA,
      body: { provider: "aws", name: "by key", accountId: "111122223333" },
    });
    const bySession = await call(server.app, "POST", `/api/v1/orgs/${world.a.orgId}/accounts`, {
      cookie: world.ownerA.cookie,
      body: { provider: "aws", name: "by session", accountId: "444455556666" },
    });
    expect({ key: byKey.status, session: bySession.json.code }).toEqual({
      key: 201,
      session: "step_up_required",
    });
    clock.advance(-(WINDOW + MINUTE));
  });
});

describe("the routes that ask for it", () => {
  it("are exactly the sensitive ones: every other write of a stale session goes through", async () => {
    // The world's owner signed in before the clock moved past the window. Sign-out and step-up
    // are left out: one would end the session the other routes are tried with, the other would
    // make it fresh again.
    clock.advance(WINDOW + MINUTE);
    const writes = routeCases.filter(
      (route) => route.method !== "GET" && route.access !== "anonymous",
    );
    const asking: string[] = [];
    const skipped = ["/api/v1/auth/sign-out", "/api/v1/auth/step-up"];
    for (const route of writes.filter((r) => !skipped.includes(r.path))) {
      const result = await send(route);
      if (result.json.code === "step_up_required") asking.push(`${route.method} ${route.path}`);
    }
    expect(asking.sort()).toEqual(SENSITIVE);
  });
});

function send(route: RouteCase) {
  const values = route.params?.(world.a) ?? { orgId: world.a.orgId };
  return call(server.app, route.method, fillPath(route.path, values), {
    cookie: world.ownerA.cookie,
    body: route.body?.(world),
  });
}
