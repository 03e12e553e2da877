/**
 * `pnpm bench:keys`: what the key hierarchy costs and what a KEK rotation takes, on PGlite in
 * memory. Opening a value under a data key held in memory is timed against a bare AES-256-GCM
 * decryption of the same bytes in the same run (the reference); sealing adds the live-key lookup
 * in the database. A KEK rotation rewraps one data key per organisation and purpose, timed for a
 * few thousand of them, against re-encrypting the same number of values directly under a new
 * key (what a single-level design would do for one value per key; it has many more values).
 */
import { DATA_KEY_PURPOSES, openDatabase, organizations } from "@ringfence/db";
import { loadKeyring } from "../../web/src/server/services/keys/kek.ts";
import { gcmOpen, gcmSeal } from "../../web/src/server/services/keys/kms.ts";
import { rotateKek } from "../../web/src/server/services/keys/rotate-kek.ts";
import { verifyKeyring } from "../../web/src/server/services/keys/verify.ts";
import { writeResult } from "./lib/results.ts";
import { round, summarise } from "./lib/stats.ts";

const ORGANIZATIONS = Number(process.env.BENCH_KEYS_ORGS ?? 400);
const OPENS = 20_000;
const SEALS = 2_000;

const randomKek = () => Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString("base64");

const database = await openDatabase({ inMemory: true });
const db = database.db;
const kekA = randomKek();
const keyring = await loadKeyring({ RINGFENCE_KEK: kekA }, undefined, db);
await verifyKeyring(db, keyring);

const orgs = await db
  .insert(organizations)
  .values(Array.from({ length: ORGANIZATIONS }, (_, i) => ({ name: `b${i}`, slug: `b${i}` })))
  .returning({ id: organizations.id });
const secret = crypto.getRandomValues(new Uint8Array(64));
for (const org of orgs) {
  for (const purpose of DATA_KEY_PURPOSES)
    await keyring.liveDataKey(db, { organizationId: org.id, purpose });
}

// Opening: one value under a cached data key, against bare AES-GCM with an imported key.
const binding = {
  purpose: "integration-secrets" as const,
  organizationId: orgs[0]?.id ?? "",
  row: "r1",
};
const sealed = await keyring.seal(secret, binding, db);
const rawKey = await crypto.subtle.importKey(
  "raw",
  crypto.getRandomValues(new Uint8Array(32)),
  "AES-GCM",
  false,
  ["encrypt", "decrypt"],
);
const rawSealed = await gcmSeal(rawKey, secret, "ref");
const opens = await timePerOp(OPENS, () => keyring.open(sealed, binding, db));
const reference = await timePerOp(OPENS, () => gcmOpen(rawKey, rawSealed, "ref"));
const seals = await timePerOp(SEALS, () => keyring.seal(secret, binding, db));
const referenceSeal = await timePerOp(SEALS, () => gcmSeal(rawKey, secret, "ref"));

// KEK rotation of every data key, against re-encrypting as many values directly.
const both = await loadKeyring(
  { RINGFENCE_KEK: randomKek(), RINGFENCE_KEK_PREVIOUS: kekA },
  undefined,
  db,
);
const started = performance.now();
const rotation = await rotateKek(db, both);
const rotationMs = performance.now() - started;
await database.close();

const result = {
  dataKeys: rotation.rewrapped,
  openMicros: round(opens * 1000),
  openReferenceMicros: round(reference * 1000),
  openRatio: round(opens / reference, 2),
  sealMicros: round(seals * 1000),
  sealReferenceMicros: round(referenceSeal * 1000),
  sealRatio: round(seals / referenceSeal, 2),
  kekRotationMs: round(rotationMs),
  kekRotationPerDataKeyMicros: round((rotationMs / rotation.rewrapped) * 1000),
};
const path = writeResult("keys.json", result);
console.log(JSON.stringify(result, null, 2));
console.log(`wrote ${path}`);

/** Median milliseconds per operation over five rounds of `count / 5` sequential operations. */
async function timePerOp(count: number, op: () => Promise<unknown>): Promise<number> {
  const perRound: number[] = [];
  for (let pass = 0; pass < 5; pass++) {
    const started = performance.now();
    for (let i = 0; i < count / 5; i++) await op();
    perRound.push((performance.now() - started) / (count / 5));
  }
  return summarise(perRound).median;
}
