import { mfaChallenges, totpFactors } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import {
  enrolTotp,
  injectClock,
  PASSWORD,
  signInWithPassword,
  type TestClock,
  verifyChallenge,
} from "../support/mfa.ts";
import { signUpUser } from "../support/world.ts";

let server: TestServer;
let clock: TestClock;

beforeAll(async () => {
  server = await startTestApp();
  clock = injectClock(server);
});
afterAll(async () => server?.close());

const STEP = 30_000;

describe("TOTP enrolment", () => {
  it("shows an otpauth URI once, and protects nothing until a first code confirms it", async () => {
    const user = await signUpUser(server.app, "enrol");
    const started = await call(server.app, "POST", "/api/v1/me/mfa/totp", {
      cookie: user.cookie,
      body: {},
    });
    expect(started.status).toBe(201);
    expect(started.json.uri).toMatch(/^otpauth:\/\/totp\/Ringfence:.*secret=[A-Z2-7]+/);

    const pending = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: user.cookie });
    expect(pending.json).toMatchObject({
      totp: "pending",
      recoveryCodesLeft: 0,
      hasPassword: true,
    });
    const { result } = await signInWithPassword(server, user);
    expect(result.json.mfaRequired).toBe(false);

    const wrong = await call(server.app, "POST", "/api/v1/me/mfa/totp/confirm", {
      cookie: user.cookie,
      body: { code: "000000" },
    });
    expect({ status: wrong.status, code: wrong.json.code }).toEqual({
      status: 401,
      code: "invalid_second_factor",
    });
  });

  it("confirms with a code, returns ten recovery codes, and stores the secret sealed", async () => {
    const user = await signUpUser(server.app, "confirm");
    const { recoveryCodes, started } = await enrolTotp(server, user, clock);
    expect(recoveryCodes).toHaveLength(10);

    const status = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: user.cookie });
    expect(status.json).toMatchObject({ totp: "active", recoveryCodesLeft: 10 });

    const [row] = await server.database.db
      .select()
      .from(totpFactors)
      .where(eq(totpFactors.userId, user.id));
    const secret = started.json.secret as string;
    expect(row?.secretSealed).toMatch(/^v\d+\./);
    expect(row?.secretSealed).not.toContain(secret);
    expect(row?.secretSealed).not.toContain(Buffer.from(secret).toString("base64"));
  });

  it("ends the user's other sessions, which were started without the second factor", async () => {
    const user = await signUpUser(server.app, "others");
    const { result } = await signInWithPassword(server, user);
    const other = /rf_session=([^;]+)/.exec(result.headers.get("set-cookie") ?? "")?.[1] ?? "";
    expect((await call(server.app, "GET", "/api/v1/me", { cookie: other })).status).toBe(200);

    await enrolTotp(server, user, clock);
    expect((await call(server.app, "GET", "/api/v1/me", { cookie: other })).status).toBe(401);
    expect((await call(server.app, "GET", "/api/v1/me", { cookie: user.cookie })).status).toBe(200);
  });

  it("refuses a second enrolment while a factor is active (409)", async () => {
    const user = await signUpUser(server.app, "twice");
    await enrolTotp(server, user, clock);
    const again = await call(server.app, "POST", "/api/v1/me/mfa/totp", {
      cookie: user.cookie,
      body: {},
    });
    expect({ status: again.status, code: again.json.code }).toEqual({
      status: 409,
      code: "conflict",
    });
  });
});

describe("sign-in with a second factor", () => {
  it("gives no session for the password alone, only a challenge for the MFA step", async () => {
    const user = await signUpUser(server.app, "pending");
    await enrolTotp(server, user, clock);
    const { result, challenge } = await signInWithPassword(server, user);
    expect(result.status).toBe(200);
    expect(result.json.mfaRequired).toBe(true);
    expect(result.headers.get("set-cookie")).not.toContain("rf_session=");
    expect(challenge).toBeDefined();

    // The challenge is no session: presented as one, it authenticates nothing.
    const asSession = await call(server.app, "GET", "/api/v1/me", { cookie: challenge });
    expect(asSession.status).toBe(401);
  });

  it("finishes with a code; the same code cannot finish another sign-in (replay)", async () => {
    const user = await signUpUser(server.app, "replay");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);
    const code = authenticator.codeAt(clock.now());

    const first = await signInWithPassword(server, user);
    const done = await verifyChallenge(server, first.challenge ?? "", { code });
    expect(done.result.status).toBe(200);
    const me = await call(server.app, "GET", "/api/v1/me", { cookie: done.cookie });
    expect(me.status).toBe(200);

    const second = await signInWithPassword(server, user);
    const replayed = await verifyChallenge(server, second.challenge ?? "", { code });
    expect({ status: replayed.result.status, code: replayed.result.json.code }).toEqual({
      status: 401,
      code: "invalid_second_factor",
    });

    // The next step's code is new, so it works.
    clock.advance(STEP);
    const next = await verifyChallenge(server, second.challenge ?? "", {
      code: authenticator.codeAt(clock.now()),
    });
    expect(next.result.status).toBe(200);
  });

  it("lets only one of two simultaneous sign-ins with the same code through", async () => {
    const user = await signUpUser(server.app, "race");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);
    const code = authenticator.codeAt(clock.now());
    const first = await signInWithPassword(server, user);
    const second = await signInWithPassword(server, user);

    const results = await Promise.all([
      verifyChallenge(server, first.challenge ?? "", { code }),
      verifyChallenge(server, second.challenge ?? "", { code }),
    ]);
    expect(results.map(({ result }) => result.status).sort()).toEqual([200, 401]);
  });

  it("accepts a code one step old and refuses one two steps old", async () => {
    const user = await signUpUser(server.app, "window");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(3 * STEP);

    const { challenge = "" } = await signInWithPassword(server, user);
    const twoOld = authenticator.codeAt(clock.now(), -2);
    const stale = await verifyChallenge(server, challenge, { code: twoOld });
    expect(stale.result.status).toBe(401);

    const oneOld = authenticator.codeAt(clock.now(), -1);
    expect((await verifyChallenge(server, challenge, { code: oneOld })).result.status).toBe(200);
  });

  it("spends the challenge on success, so it cannot start a second session", async () => {
    const user = await signUpUser(server.app, "spent");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);
    const { challenge = "" } = await signInWithPassword(server, user);
    await verifyChallenge(server, challenge, { code: authenticator.codeAt(clock.now()) });

    clock.advance(STEP);
    const again = await verifyChallenge(server, challenge, {
      code: authenticator.codeAt(clock.now()),
    });
    expect({ status: again.result.status, code: again.result.json.code }).toEqual({
      status: 401,
      code: "mfa_required",
    });
  });

  it("refuses an expired challenge, and the next sign-in clears it away", async () => {
    const user = await signUpUser(server.app, "expired");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);
    const { challenge = "" } = await signInWithPassword(server, user);
    const past = new Date(Date.now() - 1000);
    const { db } = server.database;
    await db
      .update(mfaChallenges)
      .set({ expiresAt: past })
      .where(eq(mfaChallenges.userId, user.id));

    const late = await verifyChallenge(server, challenge, {
      code: authenticator.codeAt(clock.now()),
    });
    expect({ status: late.result.status, code: late.result.json.code }).toEqual({
      status: 401,
      code: "mfa_required",
    });
    await signInWithPassword(server, user);
    const left = await db.select().from(mfaChallenges).where(eq(mfaChallenges.userId, user.id));
    expect(left.map((row) => row.expiresAt > past)).toEqual([true]);
  });

  it("answers 401 mfa_required without a challenge, and 400 naming a malformed code", async () => {
    const none = await call(server.app, "POST", "/api/v1/auth/mfa/verify", {
      body: { code: "123456" },
    });
    expect({ status: none.status, code: none.json.code }).toEqual({
      status: 401,
      code: "mfa_required",
    });

    const malformed = await call(server.app, "POST", "/api/v1/auth/mfa/verify", {
      body: { code: "12ab56" },
    });
    expect(malformed.status).toBe(400);
    expect(JSON.stringify(malformed.json.errors)).toContain("code");
  });

  it("limits attempts per user: the sixth answers 429, even with the right code", async () => {
    const user = await signUpUser(server.app, "limit");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);
    const { challenge = "" } = await signInWithPassword(server, user);

    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await verifyChallenge(server, challenge, { code: "000000" })).result.status);
    }
    const right = await verifyChallenge(server, challenge, {
      code: authenticator.codeAt(clock.now()),
    });
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    expect(right.result.status).toBe(429);
    expect(Number(right.result.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});

describe("recovery codes", () => {
  it("each finish one sign-in, once", async () => {
    const user = await signUpUser(server.app, "recovery");
    const { recoveryCodes } = await enrolTotp(server, user, clock);
    const [code = ""] = recoveryCodes;

    const first = await signInWithPassword(server, user);
    const used = await verifyChallenge(server, first.challenge ?? "", { recoveryCode: code });
    expect(used.result.status).toBe(200);

    const second = await signInWithPassword(server, user);
    const again = await verifyChallenge(server, second.challenge ?? "", { recoveryCode: code });
    expect({ status: again.result.status, code: again.result.json.code }).toEqual({
      status: 401,
      code: "invalid_second_factor",
    });
    const status = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: used.cookie });
    expect(status.json.recoveryCodesLeft).toBe(9);
  });

  it("regenerated, replace the old set entirely", async () => {
    const user = await signUpUser(server.app, "regen");
    const { recoveryCodes: old } = await enrolTotp(server, user, clock);
    const fresh = await call(server.app, "POST", "/api/v1/me/mfa/recovery-codes", {
      cookie: user.cookie,
      body: {},
    });
    expect(fresh.status).toBe(200);
    const codes = fresh.json.recoveryCodes as string[];
    expect(codes).toHaveLength(10);
    expect(codes.filter((code) => old.includes(code))).toEqual([]);

    const withOld = await signInWithPassword(server, user);
    const refused = await verifyChallenge(server, withOld.challenge ?? "", {
      recoveryCode: old[1],
    });
    expect(refused.result.status).toBe(401);
    const accepted = await verifyChallenge(server, withOld.challenge ?? "", {
      recoveryCode: codes[1],
    });
    expect(accepted.result.status).toBe(200);
  });
});

describe("disabling MFA", () => {
  it("needs the password and a code; then sign-in no longer asks for one", async () => {
    const user = await signUpUser(server.app, "disable");
    const { authenticator } = await enrolTotp(server, user, clock);
    clock.advance(STEP);

    const wrongPassword = await call(server.app, "POST", "/api/v1/me/mfa/totp/disable", {
      cookie: user.cookie,
      body: { password: "not the password", code: authenticator.codeAt(clock.now()) },
    });
    expect(wrongPassword.status).toBe(401);
    const noCode = await call(server.app, "POST", "/api/v1/me/mfa/totp/disable", {
      cookie: user.cookie,
      body: { password: PASSWORD },
    });
    expect(noCode.status).toBe(400);
    const status = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: user.cookie });
    expect(status.json.totp).toBe("active");

    const disabled = await call(server.app, "POST", "/api/v1/me/mfa/totp/disable", {
      cookie: user.cookie,
      body: { password: PASSWORD, code: authenticator.codeAt(clock.now()) },
    });
    expect(disabled.status).toBe(204);
    const { result } = await signInWithPassword(server, user);
    expect(result.json.mfaRequired).toBe(false);
  });
});
