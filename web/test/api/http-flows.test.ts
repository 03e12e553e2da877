import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { listen } from "../support/http.ts";

// Cookie and CSRF flows over a real HTTP server on loopback, with fetch as the browser would
// send them (the cookie jar is kept by hand: fetch has none).
let server: TestServer;
let http: { url: string; close(): Promise<void> };

beforeAll(async () => {
  server = await startTestApp({ RINGFENCE_TRUST_PROXY: "false" });
  http = await listen(server.app);
});
afterAll(async () => {
  await http?.close();
  await server?.close();
});

async function post(path: string, body: unknown, headers: Record<string, string>) {
  return fetch(`${http.url}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
}

describe("a browser session over HTTP", () => {
  it("signs up, creates an organisation same-origin, and is refused cross-site", async () => {
    const signUp = await post(
      "/api/v1/auth/sign-up",
      { email: "browser@example.test", password: "long enough pw", name: "B" },
      { Origin: http.url, "Sec-Fetch-Site": "same-origin" },
    );
    expect(signUp.status).toBe(201);
    const cookie = (signUp.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^rf_session=/);

    const sameOrigin = await post(
      "/api/v1/orgs",
      { name: "Browser", slug: "browser" },
      { Cookie: cookie, Origin: http.url, "Sec-Fetch-Site": "same-origin" },
    );
    expect(sameOrigin.status).toBe(201);

    const crossSite = await post(
      "/api/v1/orgs",
      { name: "Evil", slug: "evil" },
      { Cookie: cookie, Origin: "https://attacker.example", "Sec-Fetch-Site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect(((await crossSite.json()) as { code: string }).code).toBe("csrf_rejected");
  });

  it("refuses a form-style text/plain post even from our own origin (415)", async () => {
    const response = await fetch(`${http.url}/api/v1/auth/sign-in`, {
      method: "POST",
      headers: { "Content-Type": "text/plain", Origin: http.url },
      body: '{"email":"browser@example.test","password":"long enough pw"}',
    });
    expect(response.status).toBe(415);
  });

  it("rate-limits by the socket's address when no proxy is trusted", async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) {
      const response = await post(
        "/api/v1/auth/sign-in",
        { email: "browser@example.test", password: "wrong password" },
        { Origin: http.url, "X-Forwarded-For": `198.51.100.${i}` },
      );
      attempts.push(response.status);
    }
    // Ten per account: the spoofed X-Forwarded-For changes nothing.
    expect(attempts.slice(0, 10).every((status) => status === 401)).toBe(true);
    expect(attempts.slice(10)).toEqual([429, 429]);
  });
});
