import { enforcers } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { ControlPlaneError, EnforcerClient } from "@ringfence/engine/control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { credentialSettingsFromEnv } from "../../src/server/services/enforcers/runtime.ts";
import { type ControlPlane, publish, registerEnforcer, startControlPlane } from "./harness.ts";

/**
 * A short overlap window so the test sees it close (production defaults to 600 s), long enough
 * that a loaded machine still makes its requests inside it.
 */
const OVERLAP_SECONDS = 5;
const TTL_SECONDS = 3600;

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane({
    credentialOverlapSeconds: OVERLAP_SECONDS,
    credentialTtlSeconds: TTL_SECONDS,
  });
  await publish(plane, "credentials");
});
afterAll(async () => plane?.close());

/** A second real client holding a given credential, as another process of the enforcer. */
function clientWith(credential: string): EnforcerClient {
  return new EnforcerClient({ baseUrl: plane.url, credential, allowInsecureLoopback: true });
}

/** The HTTP status a call ends with: 204/200 as "ok", else the ControlPlaneError's status. */
async function statusOf(work: Promise<unknown>): Promise<number | "ok"> {
  try {
    await work;
    return "ok";
  } catch (error) {
    if (error instanceof ControlPlaneError) return error.status;
    throw error;
  }
}

async function auditActions(targetId: string): Promise<string[]> {
  const listed = await plane.admin("GET", "/audit-log?limit=100");
  const items = listed.json.items as { action: string; targetId: string }[];
  return items.filter((item) => item.targetId === targetId).map((item) => item.action);
}

describe("revocation", () => {
  it("refuses the enforcer's very next request over HTTP, whatever it asks", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-revoked");
    expect(await statusOf(client.reportStatus({ version: null }))).toBe("ok");
    expect(await statusOf(client.pollBundle({ wait: 0 }))).toBe("ok");

    const revoked = await plane.admin("POST", `/enforcers/${answer.enforcerId}/revoke`, {});
    expect(revoked.status, JSON.stringify(revoked.body)).toBe(200);

    expect(await statusOf(client.reportStatus({ version: null }))).toBe(401);
    expect(await statusOf(client.pollBundle({ wait: 0 }))).toBe(401);
    expect(await statusOf(client.fetchProxyCa())).toBe(401);
    expect(await statusOf(client.rotateCredential())).toBe(401);
    expect(await auditActions(answer.enforcerId)).toContain("enforcer.revoke");
  });

  it("also refuses the credential a rotation replaced, inside its overlap window", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-revoked-overlap");
    await client.rotateCredential();
    await plane.admin("POST", `/enforcers/${answer.enforcerId}/revoke`, {});
    expect(await statusOf(clientWith(answer.credential).reportStatus({ version: null }))).toBe(401);
    expect(await statusOf(client.reportStatus({ version: null }))).toBe(401);
  });
});

describe("rotation with an overlap window", () => {
  it("keeps the old credential working until the window ends, then only the new one", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-overlap");
    const old = clientWith(answer.credential);
    const fresh = await client.rotateCredential();
    expect(fresh).not.toBe(answer.credential);

    // Both work during the window (the client now holds the new credential).
    expect(await statusOf(old.reportStatus({ version: null }))).toBe("ok");
    expect(await statusOf(client.reportStatus({ version: null }))).toBe("ok");

    const [row] = await plane.server.database.db
      .select()
      .from(enforcers)
      .where(eq(enforcers.id, answer.enforcerId));
    const until = row?.previousCredentialExpiresAt?.getTime() ?? 0;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, until - Date.now()) + 50));

    expect(await statusOf(old.reportStatus({ version: null }))).toBe(401);
    expect(await statusOf(client.reportStatus({ version: null }))).toBe("ok");
    expect(await auditActions(answer.enforcerId)).toContain("enforcer.rotate_credential");
  });

  it("drops a credential replaced once at the next rotation, without waiting", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-twice");
    const first = clientWith(answer.credential);
    await client.rotateCredential();
    await client.rotateCredential();
    expect(await statusOf(first.reportStatus({ version: null }))).toBe(401);
    expect(await statusOf(client.reportStatus({ version: null }))).toBe("ok");
  });

  it("answers when the new credential expires and until when the old one works", async () => {
    const { answer } = await registerEnforcer(plane, "gw-answer");
    const response = await fetch(new URL("api/v1/enforcer/credential", plane.url), {
      method: "POST",
      headers: { Authorization: `Bearer ${answer.credential}`, "Content-Type": "application/json" },
      body: "{}",
    });
    const body = (await response.json()) as { expiresAt: string; previousValidUntil: string };
    const now = Date.now();
    expect(Date.parse(body.expiresAt) - now).toBeGreaterThan((TTL_SECONDS - 60) * 1000);
    expect(Date.parse(body.previousValidUntil) - now).toBeLessThanOrEqual(OVERLAP_SECONDS * 1000);
  });
});

describe("expiry", () => {
  it("gives a registered credential the configured lifetime and refuses it once past", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-expiring");
    const lifetime = Date.parse(answer.credentialExpiresAt ?? "") - Date.now();
    expect(lifetime).toBeGreaterThan((TTL_SECONDS - 60) * 1000);
    expect(lifetime).toBeLessThanOrEqual(TTL_SECONDS * 1000);
    expect(await statusOf(client.reportStatus({ version: null }))).toBe("ok");

    // The lifetime runs out (moved to the past rather than waited for an hour).
    await plane.server.database.db
      .update(enforcers)
      .set({ credentialExpiresAt: new Date(Date.now() - 1000) })
      .where(eq(enforcers.id, answer.enforcerId));
    expect(await statusOf(client.reportStatus({ version: null }))).toBe(401);
    expect(await statusOf(client.rotateCredential())).toBe(401);
  });

  it("never lets the replaced credential outlive its own expiry through the overlap", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-capped");
    const soon = new Date(Date.now() + 200);
    await plane.server.database.db
      .update(enforcers)
      .set({ credentialExpiresAt: soon })
      .where(eq(enforcers.id, answer.enforcerId));
    await client.rotateCredential();
    const [row] = await plane.server.database.db
      .select()
      .from(enforcers)
      .where(eq(enforcers.id, answer.enforcerId));
    expect(row?.previousCredentialExpiresAt?.getTime()).toBe(soon.getTime());
  });

  it("reads lifetimes from the environment and names a bad setting", () => {
    expect(
      credentialSettingsFromEnv({
        RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS: "30",
        RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS: "120",
      }),
    ).toEqual({ credentialTtlSeconds: 30 * 86_400, credentialOverlapSeconds: 120 });
    expect(credentialSettingsFromEnv({})).toEqual({});
    expect(() =>
      credentialSettingsFromEnv({ RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS: "0" }),
    ).toThrow(/RINGFENCE_ENFORCER_CREDENTIAL_TTL_DAYS/);
    expect(() =>
      credentialSettingsFromEnv({ RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS: "forever" }),
    ).toThrow(/RINGFENCE_ENFORCER_CREDENTIAL_OVERLAP_SECONDS/);
  });
});

describe("use", () => {
  it("records when and from where the credential was last used", async () => {
    const { client, answer } = await registerEnforcer(plane, "gw-used");
    await client.reportStatus({ version: null });
    const listed = await plane.admin("GET", "/enforcers?limit=100");
    const items = listed.json.items as { id: string; lastUsedAt: string; lastUsedFrom: string }[];
    const mine = items.find((item) => item.id === answer.enforcerId);
    expect(mine?.lastUsedFrom).toBe("127.0.0.1");
    expect(Date.now() - Date.parse(mine?.lastUsedAt ?? "")).toBeLessThan(60_000);
    expect(await auditActions(answer.enforcerId)).toContain("enforcer.register");
  });
});
