import { auditLog, organizations } from "@ringfence/db";
import { count, eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

let server: TestServer;
let owner: TestUser;

beforeAll(async () => {
  server = await startTestApp();
  owner = await signUpUser(server.app, "idem");
});
afterAll(async () => server?.close());

const createOrgWithKey = (key: string, body: unknown) =>
  call(server.app, "POST", "/api/v1/orgs", {
    cookie: owner.cookie,
    body,
    headers: { "Idempotency-Key": key },
  });

describe("Idempotency-Key on creating POSTs", () => {
  it("answers the same key and body with the first response and creates once", async () => {
    const body = { name: "Once", slug: "idem-once" };
    const first = await createOrgWithKey("key-once", body);
    const second = await createOrgWithKey("key-once", body);

    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    const rows = await server.database.db
      .select({ n: count() })
      .from(organizations)
      .where(eq(organizations.slug, "idem-once"));
    expect(rows[0]?.n).toBe(1);
  });

  it("refuses the same key with another body (422)", async () => {
    await createOrgWithKey("key-reused", { name: "One", slug: "idem-one" });
    const other = await createOrgWithKey("key-reused", { name: "Two", slug: "idem-two" });
    expect(other.status).toBe(422);
    expect(other.json.code).toBe("idempotency_key_reused");
  });

  it("lets a refused request be retried with the same key", async () => {
    const orgId = await createOrg(server.app, owner, "idem-taken");
    expect(orgId).toMatch(/^org_/);
    const taken = await createOrgWithKey("key-retry", { name: "T", slug: "idem-taken" });
    expect(taken.status).toBe(409);
    const again = await createOrgWithKey("key-retry", { name: "T", slug: "idem-taken" });
    expect(again.status).toBe(409);
  });

  it("never replays an API key's secret", async () => {
    const orgId = await createOrg(server.app, owner, "idem-keys");
    const send = () =>
      call(server.app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
        cookie: owner.cookie,
        body: { name: "ci", scope: "read" },
        headers: { "Idempotency-Key": "key-secret" },
      });
    const first = await send();
    const replay = await send();
    expect(first.json.secret).toMatch(/^rfk_/);
    expect(replay.json.secret).toBeNull();
    expect(replay.json.apiKey).toEqual(first.json.apiKey);
  });
});

describe("cursor pagination", () => {
  it("walks every organisation exactly once, newest first, in pages of `limit`", async () => {
    const pager = await signUpUser(server.app, "pager");
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push(await createOrg(server.app, pager, `page-${i}`));

    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : "?limit=2";
      const page = await call(server.app, "GET", `/api/v1/orgs${query}`, { cookie: pager.cookie });
      expect(page.status).toBe(200);
      const items = page.json.items as { id: string }[];
      expect(items.length).toBeLessThanOrEqual(2);
      seen.push(...items.map((item) => item.id));
      cursor = page.json.nextCursor as string | null;
      pages += 1;
    } while (cursor);

    expect(seen).toEqual([...created].reverse());
    expect(pages).toBe(3);
  });
});

describe("audit log", () => {
  it("records each change in its transaction, with actor and request id", async () => {
    const orgId = await createOrg(server.app, owner, "audited");
    await call(server.app, "PATCH", `/api/v1/orgs/${orgId}`, {
      cookie: owner.cookie,
      body: { name: "Renamed" },
      headers: { "X-Request-Id": "rename-1" },
    });
    const rows = await server.database.db
      .select()
      .from(auditLog)
      .where(eq(auditLog.organizationId, orgId));
    expect(rows.map((row) => row.action).sort()).toEqual([
      "organization.create",
      "organization.update",
    ]);
    const rename = rows.find((row) => row.action === "organization.update");
    expect(rename).toMatchObject({ actorType: "user", actorId: owner.id, requestId: "rename-1" });

    const listed = await call(server.app, "GET", `/api/v1/orgs/${orgId}/audit-log`, {
      cookie: owner.cookie,
    });
    expect((listed.json.items as { action: string }[])[0]?.action).toBe("organization.update");
  });
});
