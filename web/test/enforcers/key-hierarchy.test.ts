import "reflect-metadata";
import * as x509 from "@peculiar/x509";
import { cloudAccounts, dataKeys, integrations } from "@ringfence/db";
import { eq } from "@ringfence/db/orm";
import { toBase64 } from "@ringfence/engine/bundle";
import { syncBundle } from "@ringfence/engine/control";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { issueLeaf, loadCa } from "../../../edge/gateway/src/tls/ca.ts";
import { openAccountSecret } from "../../src/server/discovery/secrets.ts";
import { createAccount } from "../../src/server/services/accounts/create.ts";
import { prepareEnforcement } from "../../src/server/services/enforcers/http.ts";
import {
  createEnforcementRuntime,
  systemOrgContext,
} from "../../src/server/services/enforcers/runtime.ts";
import { createIntegration } from "../../src/server/services/integrations/create.ts";
import { openSecret } from "../../src/server/services/integrations/secret.ts";
import { reencryptPending } from "../../src/server/services/keys/jobs.ts";
import { loadKeyring } from "../../src/server/services/keys/kek.ts";
import { rotateKek } from "../../src/server/services/keys/rotate-kek.ts";
import { verifyKeyring } from "../../src/server/services/keys/verify.ts";
import {
  type ControlPlane,
  publish,
  randomKek,
  registerEnforcer,
  startControlPlane,
} from "./harness.ts";

let plane: ControlPlane;
beforeAll(async () => {
  plane = await startControlPlane();
});
afterAll(async () => plane?.close());

const WEBHOOK_SECRET = `whsec_${toBase64(new Uint8Array(32).fill(7))}`;

/** Stores one secret of every purpose for the plane's organisation, through the real verbs. */
async function storeSecrets(label: string) {
  const ctx = systemOrgContext({
    db: plane.server.database.db,
    config: plane.server.config,
    enforcement: plane.runtime,
    organizationId: plane.orgId,
    actorId: "test",
  });
  const account = await createAccount({
    ctx: { ...ctx, kek: plane.runtime.keyring },
    input: {
      provider: "azure",
      name: `azure-${label}`,
      subscriptionId: crypto.randomUUID(),
      tenantId: crypto.randomUUID(),
      clientId: crypto.randomUUID(),
      credential: { kind: "secret", clientSecret: `client-secret-${label}` },
    },
  });
  const report = {
    kek: plane.runtime.keyring,
    resolver: async () => ["127.0.0.1"],
    egressAllow: ["127.0.0.1"],
    productVersion: "test",
  };
  const integration = await createIntegration({
    ctx: { ...ctx, report },
    input: {
      kind: "webhook",
      name: `hook-${label}`,
      target: "http://127.0.0.1:9/hook",
      secret: WEBHOOK_SECRET,
      classes: [],
      minSeverity: 0,
      includeAudit: false,
      enabled: true,
      deadLetterAfterSeconds: 86_400,
    },
  });
  return { accountId: account.id, integrationId: integration.id };
}

async function sealedOf(table: "integrations" | "cloudAccounts", id: string): Promise<string> {
  const db = plane.server.database.db;
  const [row] =
    table === "integrations"
      ? await db
          .select({ sealed: integrations.sealedSecret })
          .from(integrations)
          .where(eq(integrations.id, id))
      : await db
          .select({ sealed: cloudAccounts.sealedSecret })
          .from(cloudAccounts)
          .where(eq(cloudAccounts.id, id));
  if (!row?.sealed) throw new Error(`no sealed value on ${table} ${id}`);
  return row.sealed;
}

/** Proves a CA in PEM form can still mint a leaf that chains to it, as a gateway would. */
async function expectCaMintsLeaves(pair: { certPem: string; keyPem: string }) {
  const ca = await loadCa(pair);
  const leaf = await issueLeaf(ca, { hosts: ["bucket.example"] });
  x509.cryptoProvider.set(crypto);
  const certificate = new x509.X509Certificate(leaf.certPem);
  const caCert = new x509.X509Certificate(pair.certPem);
  expect(await certificate.verify({ publicKey: caCert.publicKey, signatureOnly: true })).toBe(true);
}

/** The live data key of a purpose, as the API lists it. */
async function liveKey(purpose: string) {
  const listed = await plane.admin("GET", "/data-keys");
  expect(listed.status, JSON.stringify(listed.body)).toBe(200);
  const items = listed.json.items as {
    id: string;
    purpose: string;
    live: boolean;
    sealedValues: number;
  }[];
  return { live: items.find((item) => item.purpose === purpose && item.live), items };
}

describe("data keys", () => {
  it("seal each purpose of an organisation under its own key, named in the envelope", async () => {
    const stored = await storeSecrets("purposes");
    const hook = await sealedOf("integrations", stored.integrationId);
    const account = await sealedOf("cloudAccounts", stored.accountId);
    const hookKey = (await liveKey("integration-secrets")).live;
    const accountKey = (await liveKey("cloud-credentials")).live;
    expect(hook.startsWith(`v2.${hookKey?.id}.`)).toBe(true);
    expect(account.startsWith(`v2.${accountKey?.id}.`)).toBe(true);
    expect(hookKey?.id).not.toBe(accountKey?.id);
    expect(hook).not.toContain(WEBHOOK_SECRET.slice(6));
  });

  it("refuse a ciphertext moved to another row or purpose", async () => {
    const db = plane.server.database.db;
    const keyring = plane.runtime.keyring;
    const one = await storeSecrets("swap-1");
    const two = await storeSecrets("swap-2");
    const sealedOne = await sealedOf("integrations", one.integrationId);
    await expect(
      openSecret(keyring, plane.orgId, two.integrationId, sealedOne, db),
    ).rejects.toThrow(/does not open: altered, or bound to another row/);
    const ids = { organizationId: plane.orgId, accountId: one.accountId };
    await expect(openAccountSecret(keyring, ids, sealedOne, db)).rejects.toThrow(
      /belongs to another organisation or purpose/,
    );
  });

  it("rotate without downtime: old values open, new ones use the new key, then move over", async () => {
    const db = plane.server.database.db;
    const keyring = plane.runtime.keyring;
    const before = await storeSecrets("before-dk-rotation");
    const oldKey = (await liveKey("integration-secrets")).live;

    const rotated = await plane.admin("POST", "/data-keys/rotate", {
      purposes: ["integration-secrets"],
    });
    expect(rotated.status, JSON.stringify(rotated.body)).toBe(200);
    const newKey = (rotated.json.items as { id: string }[])[0];
    expect(newKey?.id).not.toBe(oldKey?.id);

    // The old value still opens, and a new value is sealed by the new key.
    const oldSealed = await sealedOf("integrations", before.integrationId);
    expect(oldSealed.startsWith(`v2.${oldKey?.id}.`)).toBe(true);
    expect(await openSecret(keyring, plane.orgId, before.integrationId, oldSealed, db)).toBe(
      WEBHOOK_SECRET,
    );
    const after = await storeSecrets("after-dk-rotation");
    expect(
      (await sealedOf("integrations", after.integrationId)).startsWith(`v2.${newKey?.id}.`),
    ).toBe(true);
    const listed = await liveKey("integration-secrets");
    expect(listed.items.find((item) => item.id === oldKey?.id)).toMatchObject({ live: false });
    expect(listed.items.find((item) => item.id === oldKey?.id)?.sealedValues).toBeGreaterThan(0);

    // The background job moves every value off the retired key.
    expect(await reencryptPending(db, keyring)).toBeGreaterThan(0);
    expect(await reencryptPending(db, keyring)).toBe(0);
    const moved = await sealedOf("integrations", before.integrationId);
    expect(moved.startsWith(`v2.${newKey?.id}.`)).toBe(true);
    expect(await openSecret(keyring, plane.orgId, before.integrationId, moved, db)).toBe(
      WEBHOOK_SECRET,
    );
    const drained = await liveKey("integration-secrets");
    expect(drained.items.find((item) => item.id === oldKey?.id)?.sealedValues).toBe(0);
  });

  it("refuse an unknown purpose on rotation, naming it, and change nothing", async () => {
    const before = (await liveKey("ca")).items.length;
    const refused = await plane.admin("POST", "/data-keys/rotate", { purposes: ["totp"] });
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.json.errors)).toContain("purposes");
    expect((await liveKey("ca")).items.length).toBe(before);
  });

  it("move values of the first format (sealed by the KEK itself) under data keys at startup", async () => {
    const db = plane.server.database.db;
    const stored = await storeSecrets("legacy");
    const kekBytes = Uint8Array.from(atob(plane.kek), (c) => c.charCodeAt(0));
    const key = await crypto.subtle.importKey("raw", kekBytes, "AES-GCM", false, ["encrypt"]);
    const iv = crypto.getRandomValues(new Uint8Array(12));
    const additionalData = new TextEncoder().encode(
      `integration-secret:${plane.orgId}:${stored.integrationId}`,
    );
    const body = new Uint8Array(
      await crypto.subtle.encrypt(
        { name: "AES-GCM", iv, additionalData },
        key,
        new TextEncoder().encode("legacy-secret"),
      ),
    );
    const legacy = `v1.${plane.runtime.keyring.current.id}.${toBase64(iv)}.${toBase64(body)}`;
    await db
      .update(integrations)
      .set({ sealedSecret: legacy })
      .where(eq(integrations.id, stored.integrationId));

    await verifyKeyring(db, plane.runtime.keyring);
    const moved = await sealedOf("integrations", stored.integrationId);
    expect(moved.startsWith("v2.dtk_")).toBe(true);
    expect(
      await openSecret(plane.runtime.keyring, plane.orgId, stored.integrationId, moved, db),
    ).toBe("legacy-secret");
  });
});

describe("KEK rotation", () => {
  it("rewraps every data key, and afterwards everything opens under the new KEK alone", async () => {
    const db = plane.server.database.db;
    const gateway = await registerEnforcer(plane, "gw-kek-rotation");
    await publish(plane, "before-kek-rotation");
    expect(await syncBundle(gateway.client, gateway.verifier, { wait: 0 })).toMatchObject({
      status: "accepted",
    });
    const caBefore = await gateway.client.fetchProxyCa();
    const stored = await storeSecrets("kek");
    const oldKek = plane.kek;
    const newKek = randomKek();

    // The operator configures the new KEK with the old one as previous and rotates.
    const both = await loadKeyring(
      { RINGFENCE_KEK: newKek, RINGFENCE_KEK_PREVIOUS: oldKek },
      undefined,
      db,
    );
    await verifyKeyring(db, both);
    const rotation = await rotateKek(db, both);
    expect(rotation.rewrapped).toBeGreaterThanOrEqual(4);
    expect(rotation.retired).toEqual([
      (await loadKeyring({ RINGFENCE_KEK: oldKek }, undefined)).current.id,
    ]);
    const wrappers = await db.selectDistinct({ kekId: dataKeys.kekId }).from(dataKeys);
    expect(wrappers).toEqual([{ kekId: both.current.id }]);
    expect(await rotateKek(db, both)).toMatchObject({ rewrapped: 0, retired: [] });

    // The control plane restarts with the new KEK only: a fresh process with nothing cached.
    const restarted = await prepareEnforcement({
      db,
      env: { RINGFENCE_KEK: newKek },
      dataDir: undefined,
      settings: { recheckMs: 200 },
    });
    const keyring = restarted.keyring;
    expect(keyring.wrappers).toHaveLength(1);

    const ids = { organizationId: plane.orgId, accountId: stored.accountId };
    expect(
      await openAccountSecret(keyring, ids, await sealedOf("cloudAccounts", stored.accountId), db),
    ).toEqual({
      provider: "azure",
      kind: "secret",
      clientSecret: "client-secret-kek",
    });
    const sealedHook = await sealedOf("integrations", stored.integrationId);
    expect(await openSecret(keyring, plane.orgId, stored.integrationId, sealedHook, db)).toBe(
      WEBHOOK_SECRET,
    );

    // Bundles are still signed by the same key and verify at the enforcer.
    const after = await publish(plane, "after-kek-rotation");
    expect(await syncBundle(gateway.client, gateway.verifier, { wait: 0 })).toMatchObject({
      status: "accepted",
    });
    expect(gateway.verifier.current?.version).toBe(after);

    // The organisation's CA is unchanged and still mints leaves that chain to it.
    const caAfter = await gateway.client.fetchProxyCa();
    expect(caAfter.certPem).toBe(caBefore.certPem);
    await expectCaMintsLeaves(caAfter);
  });

  it("refuses the old KEK at startup once the rotation is done, naming the setting", async () => {
    const db = plane.server.database.db;
    for (const kek of [plane.kek, randomKek()]) {
      const attempt = createEnforcementRuntime({
        db,
        env: { RINGFENCE_KEK: kek },
        dataDir: undefined,
      });
      await expect(attempt).rejects.toThrow(
        /RINGFENCE_KEK, fingerprint [0-9a-f]{16}\) is not the one that sealed the stored data keys/,
      );
    }
  });
});
