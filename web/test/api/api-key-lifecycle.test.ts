import { apiKeys } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

let server: TestServer;
let owner: TestUser;
let orgId: string;

beforeAll(async () => {
  server = await startTestApp();
  owner = await signUpUser(server.app, "key-lifecycle");
  orgId = await createOrg(server.app, owner, `keys-${Date.now()}`);
});
afterAll(async () => server?.close());

const admin = (method: string, path: string, body?: unknown) =>
  call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });

/** Creates a key through the API; returns its id and secret. */
async function createKey(body: Record<string, unknown> = {}) {
  const created = await admin("POST", "/api-keys", { name: "lifecycle", scope: "read", ...body });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  const apiKey = created.json.apiKey as { id: string; expiresAt: string | null };
  return { id: apiKey.id, expiresAt: apiKey.expiresAt, secret: created.json.secret as string };
}

/** The status of a read with the key, from a given client address. */
async function useKey(secret: string, from = "192.0.2.10"): Promise<number> {
  const result = await call(server.app, "GET", `/api/v1/orgs/${orgId}/enforcers`, {
    bearer: secret,
    headers: { "X-Forwarded-For": from },
  });
  return result.status;
}

async function auditActions(targetId: string): Promise<string[]> {
  const listed = await admin("GET", "/audit-log?limit=100");
  const items = listed.json.items as { action: string; targetId: string }[];
  return items.filter((item) => item.targetId === targetId).map((item) => item.action);
}

async function rotate(keyId: string, body: Record<string, unknown>) {
  return admin("POST", `/api-keys/${keyId}/rotate`, body);
}

describe("API key expiry", () => {
  it("sets the asked lifetime and refuses the key once it has passed", async () => {
    const key = await createKey({ expiresInDays: 30 });
    const lifetime = Date.parse(key.expiresAt ?? "") - Date.now();
    expect(lifetime).toBeGreaterThan(29 * 86_400_000);
    expect(await useKey(key.secret)).toBe(200);

    await server.database.db
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, key.id));
    expect(await useKey(key.secret)).toBe(401);
    const refused = await rotate(key.id, {});
    expect(refused.status).toBe(409);
    expect(refused.json.detail).toMatch(/has expired; create a new key/);
  });

  it("keeps a key without expiresInDays valid with no expiry", async () => {
    const key = await createKey();
    expect(key.expiresAt).toBeNull();
    expect(await useKey(key.secret)).toBe(200);
  });
});

describe("API key rotation", () => {
  it("answers a new secret; the old one works until the overlap ends, then only the new", async () => {
    const key = await createKey();
    const rotated = await rotate(key.id, { overlapSeconds: 3 });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const fresh = rotated.json.secret as string;
    const shown = rotated.json.apiKey as { id: string; previousValidUntil: string };
    expect(shown.id).toBe(key.id);
    expect(fresh).not.toBe(key.secret);

    expect(await useKey(key.secret)).toBe(200);
    expect(await useKey(fresh)).toBe(200);
    const wait = Date.parse(shown.previousValidUntil) - Date.now();
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait) + 50));
    expect(await useKey(key.secret)).toBe(401);
    expect(await useKey(fresh)).toBe(200);
    expect(await auditActions(key.id)).toContain("api_key.rotate");
  });

  it("ends the old secret at once with an overlap of 0", async () => {
    const key = await createKey();
    const rotated = await rotate(key.id, { overlapSeconds: 0 });
    expect(await useKey(key.secret)).toBe(401);
    expect(await useKey(rotated.json.secret as string)).toBe(200);
  });

  it("refuses a bad overlap, naming it, and changes nothing", async () => {
    const key = await createKey();
    for (const overlapSeconds of [-1, 8 * 86_400, "soon"]) {
      const refused = await rotate(key.id, { overlapSeconds });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.json.errors)).toContain("overlapSeconds");
    }
    expect(await useKey(key.secret)).toBe(200);
    const badExpiry = await admin("POST", "/api-keys", {
      name: "bad",
      scope: "read",
      expiresInDays: 0,
    });
    expect(badExpiry.status).toBe(400);
    expect(JSON.stringify(badExpiry.json.errors)).toContain("expiresInDays");
  });

  it("answers 404 for a key of another organisation or none", async () => {
    const refused = await rotate("key_00000000000000000000000000", {});
    expect(refused.status).toBe(404);
  });
});

describe("API key revocation", () => {
  it("refuses both the current and the overlapping old secret at the next request", async () => {
    const key = await createKey();
    const rotated = await rotate(key.id, { overlapSeconds: 600 });
    const fresh = rotated.json.secret as string;
    expect(await useKey(key.secret)).toBe(200);

    const revoked = await admin("DELETE", `/api-keys/${key.id}`);
    expect(revoked.status).toBe(200);
    expect(await useKey(fresh)).toBe(401);
    expect(await useKey(key.secret)).toBe(401);
    expect((await rotate(key.id, {})).status).toBe(409);
    expect(await auditActions(key.id)).toEqual(
      expect.arrayContaining(["api_key.create", "api_key.rotate", "api_key.revoke"]),
    );
  });
});

describe("API key use", () => {
  it("records the last use and audits a use from a new address", async () => {
    const key = await createKey();
    expect(await useKey(key.secret, "198.51.100.7")).toBe(200);
    expect(await useKey(key.secret, "198.51.100.8")).toBe(200);
    const listed = await admin("GET", "/api-keys?limit=100");
    const items = listed.json.items as { id: string; lastUsedFrom: string; lastUsedAt: string }[];
    const shown = items.find((item) => item.id === key.id);
    expect(shown?.lastUsedFrom).toBe("198.51.100.8");
    expect(Date.now() - Date.parse(shown?.lastUsedAt ?? "")).toBeLessThan(60_000);
    expect(await auditActions(key.id)).toContain("api_key.new_address");
  });
});
