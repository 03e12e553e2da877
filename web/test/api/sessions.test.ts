import { auditLog, sessions } from "@ringfence/db";
import { and, eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call, sessionFrom } from "../support/client.ts";
import { addMember, createOrg, signUpUser, type TestUser } from "../support/world.ts";

// Sessions: idle and absolute ends, the list a user sees, and revocation that takes effect at
// the very next request. Time passes by moving the stored timestamps, never by waiting.
let server: TestServer;

beforeAll(async () => {
  server = await startTestApp({
    RINGFENCE_SESSION_IDLE_MINUTES: "30",
    RINGFENCE_SESSION_TTL_HOURS: "8",
  });
});
afterAll(async () => server?.close());

const me = (cookie: string) => call(server.app, "GET", "/api/v1/me", { cookie });

/** A second session for the user, from another address and browser. */
async function signInAgain(user: TestUser, userAgent: string): Promise<string> {
  const result = await call(server.app, "POST", "/api/v1/auth/sign-in", {
    body: { email: user.email, password: "correct horse battery" },
    headers: { "User-Agent": userAgent, "X-Forwarded-For": "198.51.100.7" },
  });
  expect({ status: result.status, body: result.body }).toMatchObject({ status: 200 });
  return sessionFrom(result.headers);
}

async function sessionRow(cookie: string) {
  const list = await call(server.app, "GET", "/api/v1/me/sessions", { cookie });
  const items = list.json.items as { id: string; current: boolean }[];
  const current = items.find((item) => item.current);
  if (!current) throw new Error(`no current session in ${JSON.stringify(list.body)}`);
  const [row] = await server.database.db.select().from(sessions).where(eq(sessions.id, current.id));
  if (!row) throw new Error("session row missing");
  return row;
}

describe("the session list", () => {
  it("shows each live session with its address, browser, method and the current one", async () => {
    const user = await signUpUser(server.app, "lister");
    const second = await signInAgain(user, "Firefox/140.0");

    const list = await call(server.app, "GET", "/api/v1/me/sessions", { cookie: user.cookie });
    expect(list.status).toBe(200);
    const items = list.json.items as Record<string, unknown>[];
    expect(items).toHaveLength(2);
    expect(items.filter((item) => item.current)).toHaveLength(1);
    expect(items).toContainEqual(
      expect.objectContaining({
        current: false,
        ipAddress: "198.51.100.7",
        userAgent: "Firefox/140.0",
        method: "password",
      }),
    );
    expect(items).toContainEqual(
      expect.objectContaining({ current: true, ipAddress: "192.0.2.10" }),
    );
    expect(JSON.stringify(list.body)).not.toMatch(/token/i);

    const fromSecond = await call(server.app, "GET", "/api/v1/me/sessions", { cookie: second });
    expect((fromSecond.json.items as { current: boolean }[]).filter((i) => i.current)).toHaveLength(
      1,
    );
  });

  it("leaves out other users' sessions", async () => {
    const alice = await signUpUser(server.app, "alice");
    await signUpUser(server.app, "bob");
    const list = await call(server.app, "GET", "/api/v1/me/sessions", { cookie: alice.cookie });
    expect(list.json.items).toHaveLength(1);
  });
});

describe("timeouts", () => {
  it("ends a session idle for longer than the idle timeout", async () => {
    const user = await signUpUser(server.app, "idle");
    const row = await sessionRow(user.cookie);
    await server.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.id, row.id));
    expect((await me(user.cookie)).status).toBe(401);
  });

  it("keeps a session in use alive and moves its last-seen time", async () => {
    const user = await signUpUser(server.app, "busy");
    const row = await sessionRow(user.cookie);
    const earlier = new Date(Date.now() - 29 * 60_000);
    await server.database.db
      .update(sessions)
      .set({ lastSeenAt: earlier })
      .where(eq(sessions.id, row.id));

    expect((await me(user.cookie)).status).toBe(200);
    const [after] = await server.database.db.select().from(sessions).where(eq(sessions.id, row.id));
    expect(after?.lastSeenAt.getTime()).toBeGreaterThan(Date.now() - 60_000);
  });

  it("ends a session at its absolute end however busy it is", async () => {
    const user = await signUpUser(server.app, "absolute");
    const row = await sessionRow(user.cookie);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(8 * 3600_000 - 5000);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThan(8 * 3600_000 + 5000);

    await server.database.db
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(sessions.id, row.id));
    expect((await me(user.cookie)).status).toBe(401);
  });
});

describe("cleanup", () => {
  it("deletes a user's ended sessions when they sign in again", async () => {
    const user = await signUpUser(server.app, "cleanup");
    const row = await sessionRow(user.cookie);
    await server.database.db
      .update(sessions)
      .set({ lastSeenAt: new Date(Date.now() - 31 * 60_000) })
      .where(eq(sessions.id, row.id));

    await signInAgain(user, "Later/1.0");
    const left = await server.database.db
      .select()
      .from(sessions)
      .where(eq(sessions.userId, user.id));
    expect(left.map((session) => session.userAgent)).toEqual(["Later/1.0"]);
  });
});

describe("revocation", () => {
  it("ends one session at its next request and leaves the others", async () => {
    const user = await signUpUser(server.app, "one");
    const other = await signInAgain(user, "Other/1.0");
    const otherId = (await sessionRow(other)).id;

    const revoked = await call(server.app, "DELETE", `/api/v1/me/sessions/${otherId}`, {
      cookie: user.cookie,
    });
    expect(revoked.status).toBe(204);
    expect((await me(other)).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(200);
  });

  it("answers 404 for another user's session and leaves it working", async () => {
    const mallory = await signUpUser(server.app, "mallory");
    const victim = await signUpUser(server.app, "victim");
    const victimId = (await sessionRow(victim.cookie)).id;

    const result = await call(server.app, "DELETE", `/api/v1/me/sessions/${victimId}`, {
      cookie: mallory.cookie,
    });
    expect(result.status).toBe(404);
    expect((await me(victim.cookie)).status).toBe(200);
  });

  it("signs out everywhere else, then everywhere", async () => {
    const user = await signUpUser(server.app, "all");
    const second = await signInAgain(user, "Second/1.0");
    const third = await signInAgain(user, "Third/1.0");

    const elsewhere = await call(server.app, "POST", "/api/v1/me/sessions/revoke-all", {
      cookie: user.cookie,
      body: { exceptCurrent: true },
    });
    expect(elsewhere.json).toEqual({ revoked: 2 });
    expect((await me(second)).status).toBe(401);
    expect((await me(third)).status).toBe(401);
    expect((await me(user.cookie)).status).toBe(200);

    const everywhere = await call(server.app, "POST", "/api/v1/me/sessions/revoke-all", {
      cookie: user.cookie,
      body: {},
    });
    expect(everywhere.json).toEqual({ revoked: 1 });
    expect((await me(user.cookie)).status).toBe(401);
  });

  it("lets an admin sign a member out everywhere, audited, but not an owner", async () => {
    const owner = await signUpUser(server.app, "owner");
    const orgId = await createOrg(server.app, owner, `sessions-${Date.now()}`);
    const admin = await signUpUser(server.app, "admin");
    const member = await signUpUser(server.app, "member");
    await addMember(server, orgId, admin, "admin");
    const memberId = await addMember(server, orgId, member, "viewer");
    const memberElsewhere = await signInAgain(member, "Laptop/1.0");

    const result = await call(
      server.app,
      "DELETE",
      `/api/v1/orgs/${orgId}/members/${memberId}/sessions`,
      { cookie: admin.cookie },
    );
    expect({ status: result.status, body: result.body }).toEqual({
      status: 200,
      body: { revoked: 2 },
    });
    expect((await me(member.cookie)).status).toBe(401);
    expect((await me(memberElsewhere)).status).toBe(401);
    const audit = await server.database.db
      .select()
      .from(auditLog)
      .where(
        and(eq(auditLog.organizationId, orgId), eq(auditLog.action, "member.sessions_revoke")),
      );
    expect(audit).toEqual([expect.objectContaining({ actorId: admin.id, targetId: memberId })]);

    const members = await call(server.app, "GET", `/api/v1/orgs/${orgId}/members`, {
      cookie: owner.cookie,
    });
    const ownerMember = (members.json.items as { id: string; role: string }[]).find(
      (item) => item.role === "owner",
    );
    const refused = await call(
      server.app,
      "DELETE",
      `/api/v1/orgs/${orgId}/members/${ownerMember?.id}/sessions`,
      { cookie: admin.cookie },
    );
    expect(refused.status).toBe(403);
    expect((await me(owner.cookie)).status).toBe(200);
  });
});
