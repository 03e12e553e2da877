import { type Database, dataKeys, keyEncryptionKeys } from "@ringfence/db";
import { and, eq, isNull, ne } from "@ringfence/db/orm";
import { KekError } from "./kek.ts";
import type { Keyring } from "./keyring.ts";
import { reencryptLegacy } from "./reencrypt.ts";
import { recordCheck } from "./verify.ts";

/** What a KEK rotation changed. */
export interface KekRotation {
  kekId: string;
  /** Data keys rewrapped from an older KEK to the current one. */
  rewrapped: number;
  /** First-format values, sealed by the old KEK itself, moved under data keys first. */
  resealed: number;
  /** KEKs the database no longer needs. */
  retired: string[];
}

/**
 * Rewraps every data key under the current KEK (`RINGFENCE_KEK`) in one transaction, so the
 * old KEK (`RINGFENCE_KEK_PREVIOUS`) is not needed afterwards and can be removed from the
 * configuration. The data keys themselves do not change, so nothing else is re-encrypted and
 * replicas that already hold them in memory carry on. Running it twice changes nothing.
 */
export async function rotateKek(db: Database, keyring: Keyring): Promise<KekRotation> {
  const current = keyring.current;
  return db.transaction(async (tx) => {
    const resealed = await reencryptLegacy(tx, keyring);
    const stale = await tx
      .select()
      .from(dataKeys)
      .where(ne(dataKeys.kekId, current.id))
      .for("update");
    for (const row of stale) {
      if (keyring.wrapper(row.kekId) === undefined) {
        throw new KekError(
          `data key ${row.id} is wrapped by KEK ${row.kekId}; set that key as ` +
            "RINGFENCE_KEK_PREVIOUS to rotate away from it",
        );
      }
      const wrappedKey = await keyring.rewrap(row);
      await tx
        .update(dataKeys)
        .set({ kekId: current.id, wrappedKey })
        .where(and(eq(dataKeys.id, row.id), eq(dataKeys.kekId, row.kekId)));
    }

    await recordCheck(tx, current);
    const retired = await tx
      .update(keyEncryptionKeys)
      .set({ retiredAt: new Date() })
      .where(and(ne(keyEncryptionKeys.kekId, current.id), isNull(keyEncryptionKeys.retiredAt)))
      .returning({ kekId: keyEncryptionKeys.kekId });
    await tx
      .update(keyEncryptionKeys)
      .set({ retiredAt: null })
      .where(eq(keyEncryptionKeys.kekId, current.id));
    return {
      kekId: current.id,
      rewrapped: stale.length,
      resealed,
      retired: retired.map((row) => row.kekId),
    };
  });
}
