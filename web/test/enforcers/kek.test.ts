import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createScratchDatabase } from "@ringfence/db/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/server/config.ts";
import { createEnforcementRuntime } from "../../src/server/services/enforcers/runtime.ts";
import { loadKeyring } from "../../src/server/services/keys/kek.ts";
import { startControlPlane as startServer } from "../../src/server/start.ts";
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
    await expect(loadKeyring({}, undefined)).rejects.toThrow(
      /no key-encryption key is configured: set RINGFENCE_KEK/,
    );
  });

  it("refuses a key that is not 32 bytes of base64, naming the setting", async () => {
    await expect(loadKeyring({ RINGFENCE_KEK: "c2hvcnQ=" }, undefined)).rejects.toThrow(
      /RINGFENCE_KEK must hold base64 of exactly 32 bytes/,
    );
    await expect(
      loadKeyring({ RINGFENCE_KEK_FILE: kekFile("bad", "not base64!") }, undefined),
    ).rejects.toThrow(/RINGFENCE_KEK_FILE must hold base64/);
  });

  it("reads a key file, but not one inside the data directory or readable by others", async () => {
    const good = kekFile("good", `${randomKek()}\n`);
    await expect(loadKeyring({ RINGFENCE_KEK_FILE: good }, "/nonexistent")).resolves.toMatchObject({
      current: { id: expect.stringMatching(/^[0-9a-f]{16}$/) },
    });

    const dataDir = join(folder, "data");
    mkdirSync(dataDir, { recursive: true });
    const inside = join(dataDir, "kek");
    writeFileSync(inside, randomKek());
    chmodSync(inside, 0o600);
    await expect(loadKeyring({ RINGFENCE_KEK_FILE: inside }, dataDir)).rejects.toThrow(
      /inside the data directory/,
    );

    const open = kekFile("open", randomKek(), 0o644);
    await expect(loadKeyring({ RINGFENCE_KEK_FILE: open }, undefined)).rejects.toThrow(/chmod 600/);
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
    await expect(attempt).rejects.toThrow(
      /RINGFENCE_KEK, fingerprint [0-9a-f]{16}\) is not the one that sealed the stored data keys/,
    );
  });

  it("stores no private key in clear", async () => {
    const { signingKeys } = await import("@ringfence/db");
    const [row] = await plane.server.database.db.select().from(signingKeys);
    expect(row?.sealedPrivateKey).toMatch(/^v2\.dtk_[0-9a-z]{26}\./);
  });
});

/** Each case starts a whole control plane several times (PGlite on disk migrates each time). */
const STARTUP_TIMEOUT_MS = 240_000;

describe("control-plane startup", () => {
  /** Where the server keeps its data: a scratch PostgreSQL database or a PGlite folder. */
  async function dataHome(): Promise<{ env: Record<string, string>; drop(): Promise<void> }> {
    if (process.env.RINGFENCE_TEST_BACKEND === "pg") {
      const scratch = await createScratchDatabase(process.env.RINGFENCE_TEST_PG_URL ?? "");
      return { env: { DATABASE_URL: scratch.url }, drop: scratch.drop };
    }
    const dir = mkdtempSync(join(tmpdir(), "ringfence-startup-"));
    return { env: { RINGFENCE_DATA_DIR: join(dir, "pgdata") }, drop: async () => {} };
  }

  async function start(env: Record<string, string>) {
    const full = { RINGFENCE_LOG: "silent", ...env };
    const plane = await startServer({ config: loadConfig(full), env: full, jobs: false });
    await plane.stop();
  }

  it(
    "refuses a missing or wrong KEK with a message naming the setting, and keeps the data",
    async () => {
      const home = await dataHome();
      try {
        const kek = randomKek();
        await start({ ...home.env, RINGFENCE_KEK: kek });

        await expect(start(home.env)).rejects.toThrow(/no key-encryption key is configured/);
        await expect(start({ ...home.env, RINGFENCE_KEK: randomKek() })).rejects.toThrow(
          /RINGFENCE_KEK, fingerprint [0-9a-f]{16}\) is not the one that sealed the stored data keys/,
        );
        await expect(
          start({ ...home.env, RINGFENCE_KEK_FILE: kekFile("startup-open", kek, 0o644) }),
        ).rejects.toThrow(/RINGFENCE_KEK_FILE .* is readable by other users/);

        // The refusals changed nothing: the right key still starts it.
        await expect(start({ ...home.env, RINGFENCE_KEK: kek })).resolves.toBeUndefined();
      } finally {
        await home.drop();
      }
    },
    STARTUP_TIMEOUT_MS,
  );

  it(
    "moves to a new KEK with `pnpm keys rotate-kek`, after which the old one is refused",
    async () => {
      const home = await dataHome();
      try {
        const old = randomKek();
        const next = randomKek();
        await start({ ...home.env, RINGFENCE_KEK: old });

        const rotated = keysCommand(["rotate-kek"], {
          ...home.env,
          RINGFENCE_KEK: next,
          RINGFENCE_KEK_PREVIOUS: old,
        });
        expect(rotated.status, rotated.stderr).toBe(0);
        const oldId = (await loadKeyring({ RINGFENCE_KEK: old }, undefined)).current.id;
        expect(JSON.parse(rotated.stdout)).toMatchObject({ retired: [oldId] });

        const withoutPrevious = keysCommand(["rotate-kek"], { ...home.env, RINGFENCE_KEK: old });
        expect(withoutPrevious.status).toBe(1);
        expect(withoutPrevious.stderr).toMatch(/RINGFENCE_KEK, fingerprint [0-9a-f]{16}\) is not/);

        await expect(start({ ...home.env, RINGFENCE_KEK: old })).rejects.toThrow(/RINGFENCE_KEK/);
        await expect(start({ ...home.env, RINGFENCE_KEK: next })).resolves.toBeUndefined();
      } finally {
        await home.drop();
      }
    },
    STARTUP_TIMEOUT_MS,
  );
});

/** Runs the operator's key command as the operator would, with only the given settings. */
function keysCommand(args: string[], env: Record<string, string>) {
  const script = fileURLToPath(new URL("../../src/server/admin/keys.ts", import.meta.url));
  return spawnSync(process.execPath, ["--import", "tsx", script, ...args], {
    cwd: fileURLToPath(new URL("../../..", import.meta.url)),
    env: { NODE_ENV: "test", PATH: process.env.PATH ?? "", RINGFENCE_LOG: "silent", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
}
