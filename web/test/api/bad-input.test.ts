import { organizations } from "@ringfence/db";
import { count } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { signUpUser, type TestUser } from "../support/world.ts";

let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestApp({ RINGFENCE_BODY_LIMIT_BYTES: "2048" });
  owner = await signUpUser(server.app, "bad-input");
});
afterAll(async () => server?.close());

async function organizationCount(): Promise<number> {
  const [row] = await server.database.db.select({ n: count() }).from(organizations);
  return row?.n ?? 0;
}

const create = (options: Parameters<typeof call>[3]) =>
  call(server.app, "POST", "/api/v1/orgs", { cookie: owner.cookie, ...options });

describe("bad input to POST /api/v1/orgs", () => {
  const cases: [string, Parameters<typeof call>[3], number, string, string][] = [
    ["malformed JSON", { rawBody: '{"name": "x",' }, 400, "malformed_json", ""],
    [
      "an unknown field",
      { body: { name: "A", slug: "a-1", admin: true } },
      400,
      "invalid_request",
      "admin",
    ],
    ["a missing field", { body: { name: "A" } }, 400, "invalid_request", "slug"],
    ["a wrong type", { body: { name: 42, slug: "a-2" } }, 400, "invalid_request", "name"],
    [
      "a slug of the wrong shape",
      { body: { name: "A", slug: "Not A Slug" } },
      400,
      "invalid_request",
      "slug",
    ],
    ["a JSON array", { body: [1, 2] }, 400, "invalid_request", ""],
    [
      "a body over the limit",
      { body: { name: "x".repeat(4096), slug: "big" } },
      413,
      "payload_too_large",
      "",
    ],
    [
      "a text/plain body",
      { rawBody: "{}", noContentType: true, headers: { "Content-Type": "text/plain" } },
      415,
      "unsupported_media_type",
      "content-type",
    ],
  ];

  it.each(cases)(
    "refuses %s with a problem naming the field and writes nothing",
    async (_, options, status, code, field) => {
      const before = await organizationCount();
      const result = await create(options);

      expect({ status: result.status, body: result.body }).toMatchObject({
        status,
        body: { code, status },
      });
      expect(result.headers.get("content-type")).toContain("application/problem+json");
      expect(result.json.requestId).toBe(result.headers.get("x-request-id"));
      if (field) {
        const paths = (result.json.errors as { path: string }[]).map((error) => error.path);
        expect(paths).toContain(field);
      }
      expect(await organizationCount()).toBe(before);
    },
  );

  it("refuses a limit above 200 and a cursor it did not issue, naming the parameter", async () => {
    const tooMany = await call(server.app, "GET", "/api/v1/orgs?limit=500", {
      cookie: owner.cookie,
    });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.errors).toEqual([
      expect.objectContaining({ location: "query", path: "limit" }),
    ]);

    const forged = await call(server.app, "GET", "/api/v1/orgs?cursor=bm9wZQ", {
      cookie: owner.cookie,
    });
    expect(forged.status).toBe(400);
    expect(forged.json.errors).toEqual([expect.objectContaining({ path: "cursor" })]);
  });

  it("answers unknown paths with a problem document", async () => {
    const result = await call(server.app, "GET", "/api/v1/nowhere");
    expect(result.status).toBe(404);
    expect(result.json.code).toBe("not_found");
  });
});

describe("request ids", () => {
  it("echoes a well-formed X-Request-Id and replaces a malformed one", async () => {
    const kept = await call(server.app, "GET", "/api/v1/me", {
      headers: { "X-Request-Id": "abc-123" },
    });
    expect(kept.headers.get("x-request-id")).toBe("abc-123");
    expect(kept.json.requestId).toBe("abc-123");

    const replaced = await call(server.app, "GET", "/api/v1/me", {
      headers: { "X-Request-Id": "bad id\twith spaces" },
    });
    expect(replaced.headers.get("x-request-id")).toMatch(/^req_[0-9a-f-]{36}$/);
  });

  it("logs one wide event per request without secrets", async () => {
    server.logs.length = 0;
    await call(server.app, "POST", "/api/v1/auth/sign-in", {
      body: { email: owner.email, password: "correct horse battery" },
    });
    expect(server.logs).toHaveLength(1);
    const line = JSON.stringify(server.logs);
    expect(line).not.toContain("correct horse battery");
    expect(line).not.toContain("rf_session");
    expect(server.logs[0]).toMatchObject({
      msg: "request",
      status: 200,
      path: "/api/v1/auth/sign-in",
    });
  });
});
