import { type Database, dataKeys, keyEncryptionKeys } from "@ringfence/db";
import { count } from "@ringfence/db/orm";
import type { Keyring } from "./keyring.ts";

/** What the key hierarchy looks like: the KEKs the database knows and the data keys each wraps. */
export async function keyringStatus(db: Database, keyring: Keyring) {
  const keks = await db.select().from(keyEncryptionKeys);
  const wrapped = await db
    .select({ kekId: dataKeys.kekId, dataKeys: count() })
    .from(dataKeys)
    .groupBy(dataKeys.kekId);
  return {
    configured: keyring.wrappers.map((wrapper) => wrapper.id),
    current: keyring.current.id,
    keks: keks.map((row) => ({
      kekId: row.kekId,
      live: row.retiredAt === null,
      dataKeys: wrapped.find((entry) => entry.kekId === row.kekId)?.dataKeys ?? 0,
    })),
  };
}
