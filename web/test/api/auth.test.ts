import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call, sessionFrom } from "../support/client.ts";
import { signUpUser } from "../support/world.ts";

let server: TestServer;

beforeAll(async () => {
  server = await startTestApp({
    RINGFENCE_LOGIN_MAX_PER_ACCOUNT: "3",
    RINGFENCE_LOGIN_MAX_PER_SOURCE: "6",
  });
});
afterAll(async () => server?.close());

const signIn = (email: string, password: string, source = "198.51.100.1") =>
  call(server.app, "POST", "/api/v1/auth/sign-in", {
    body: { email, password },
    headers: { "X-Forwarded-For": source },
  });

describe("sign-up, sign-in, sign-out", () => {
  it("sets an httpOnly SameSite=Lax session cookie that is not Secure over http", async () => {
    const result = await call(server.app, "POST", "/api/v1/auth/sign-up", {
      body: { email: "Cookie@Example.test", password: "long enough pw", name: "C" },
    });
    expect(result.status).toBe(201);
    const cookie = result.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).not.toMatch(/Secure/);
    expect(result.json.user).toMatchObject({ email: "cookie@example.test" });
    expect(JSON.stringify(result.body)).not.toContain("password");
  });

  it("refuses a second account with the same email, whatever its case (409)", async () => {
    const user = await signUpUser(server.app, "dup");
    const again = await call(server.app, "POST", "/api/v1/auth/sign-up", {
      body: { email: user.email.toUpperCase(), password: "long enough pw", name: "D" },
    });
    expect(again.status).toBe(409);
    expect(again.json.errors).toEqual([expect.objectContaining({ path: "email" })]);
  });

  it("signs in with the right password, and the session ends at sign-out", async () => {
    const user = await signUpUser(server.app, "cycle");
    const signedIn = await signIn(user.email, "correct horse battery");
    expect(signedIn.status).toBe(200);
    const cookie = sessionFrom(signedIn.headers);

    expect((await call(server.app, "GET", "/api/v1/me", { cookie })).status).toBe(200);
    const out = await call(server.app, "POST", "/api/v1/auth/sign-out", { cookie, body: {} });
    expect(out.status).toBe(204);
    expect((await call(server.app, "GET", "/api/v1/me", { cookie })).status).toBe(401);
  });

  it("answers a wrong password and an unknown email alike (401)", async () => {
    const user = await signUpUser(server.app, "wrong");
    const wrong = await signIn(user.email, "not the password", "198.51.100.2");
    const unknown = await signIn("nobody@example.test", "not the password", "198.51.100.2");
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.json.detail).toBe(unknown.json.detail);
  });
});

describe("sign-in rate limits", () => {
  it("limits attempts per account with 429 and Retry-After, from any source", async () => {
    const user = await signUpUser(server.app, "limited");
    for (let i = 0; i < 3; i++) {
      expect((await signIn(user.email, "wrong", `203.0.113.${i}`)).status).toBe(401);
    }
    const blocked = await signIn(user.email, "correct horse battery", "203.0.113.99");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.json.code).toBe("rate_limited");
  });

  it("limits attempts per source across accounts", async () => {
    const source = "192.0.2.77";
    for (let i = 0; i < 6; i++) {
      expect((await signIn(`spray-${i}@example.test`, "wrong", source)).status).toBe(401);
    }
    const blocked = await signIn("spray-last@example.test", "wrong", source);
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toMatch(/^\d+$/);
  });
});
