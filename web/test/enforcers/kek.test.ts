import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createEnforcementRuntime } from "../../src/server/services/enforcers/runtime.ts";
import { loadKeyEncryptionKey } from "../../src/server/services/keys/kek.ts";
import { seal, unseal } from "../../src/server/services/keys/seal.ts";
import { type ControlPlane, publish, randomKek, startControlPlane } from "./harness.ts";

const folder = mkdtempSync(join(tmpdir(), "ringfence-kek-"));

function kekFile(name: string, content: string, mode = 0o600): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  chmodSync(path, mode);
  return path;
}

describe("loading the key-encryption key", () => {
  it("refuses to start without one and says how to provide it", async () => {
    await expect(loadKeyEncryptionKey({}, undefined)).rejects.toThrow(
      /no key-encryption key is configured: set RINGFENCE_KEK/,
    );
  });

  it("refuses a key that is not 32 bytes of base64, naming the setting", async () => {
    await expect(loadKeyEncryptionKey({ RINGFENCE_KEK: "c2hvcnQ=" }, undefined)).rejects.toThrow(
      /RINGFENCE_KEK must hold base64 of exactly 32 bytes/,
    );
    await expect(
      loadKeyEncryptionKey({ RINGFENCE_KEK_FILE: kekFile("bad", "not base64!") }, undefined),
    ).rejects.toThrow(/RINGFENCE_KEK_FILE must hold base64/);
  });

  it("reads a key file, but not one inside the data directory or readable by others", async () => {
    const good = kekFile("good", `${randomKek()}\n`);
    await expect(
      loadKeyEncryptionKey({ RINGFENCE_KEK_FILE: good }, "/nonexistent"),
    ).resolves.toMatchObject({
      fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/),
    });

    const dataDir = join(folder, "data");
    mkdirSync(dataDir, { recursive: true });
    const inside = join(dataDir, "kek");
    writeFileSync(inside, randomKek());
    chmodSync(inside, 0o600);
    await expect(loadKeyEncryptionKey({ RINGFENCE_KEK_FILE: inside }, dataDir)).rejects.toThrow(
      /inside the data directory/,
    );

    const open = kekFile("open", randomKek(), 0o644);
    await expect(loadKeyEncryptionKey({ RINGFENCE_KEK_FILE: open }, undefined)).rejects.toThrow(
      /chmod 600/,
    );
  });
});

describe("sealed keys", () => {
  it("open only with the same key and the same context", async () => {
    const kek = await loadKeyEncryptionKey({ RINGFENCE_KEK: randomKek() }, undefined);
    const other = await loadKeyEncryptionKey({ RINGFENCE_KEK: randomKek() }, undefined);
    const secret = new TextEncoder().encode("private key bytes");
    const sealed = await seal(kek, secret, "signing-key:org_a:k1");

    expect(new TextDecoder().decode(await unseal(kek, sealed, "signing-key:org_a:k1"))).toBe(
      "private key bytes",
    );
    await expect(unseal(kek, sealed, "signing-key:org_b:k1")).rejects.toThrow(/does not open/);
    await expect(unseal(other, sealed, "signing-key:org_a:k1")).rejects.toThrow(
      /sealed with key-encryption key/,
    );
  });
});

describe("startup with stored keys", () => {
  let plane: ControlPlane;
  beforeAll(async () => {
    plane = await startControlPlane();
    await publish(plane, "kek");
  });
  afterAll(async () => plane?.close());

  it("refuses a different key-encryption key than the one that sealed the stored keys", async () => {
    const attempt = createEnforcementRuntime({
      db: plane.server.database.db,
      env: { RINGFENCE_KEK: randomKek() },
      dataDir: undefined,
    });
    await expect(attempt).rejects.toThrow(/is not the one that sealed the stored keys/);
  });

  it("stores no private key in clear", async () => {
    const { signingKeys } = await import("@ringfence/db");
    const [row] = await plane.server.database.db.select().from(signingKeys);
    expect(row?.sealedPrivateKey).toMatch(/^v1\.[0-9a-f]{16}\./);
  });
});
