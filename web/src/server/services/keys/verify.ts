import { type Database, dataKeys, keyEncryptionKeys } from "@ringfence/db";
import { eq, isNull } from "@ringfence/db/orm";
import { KekError } from "./kek.ts";
import type { Keyring } from "./keyring.ts";
import type { KeyWrapper } from "./kms.ts";
import { legacyKekIds, reencryptLegacy } from "./reencrypt.ts";

const CHECK_PLAINTEXT = new TextEncoder().encode("ringfence key-check value");

function checkAad(kekId: string): string {
  return `ringfence-kek-check|${kekId}`;
}

/** A key-check value: a fixed text wrapped by the KEK, stored so a wrong KEK is recognised. */
export function keyCheckValue(wrapper: KeyWrapper): Promise<string> {
  return wrapper.wrap(new Uint8Array(CHECK_PLAINTEXT), checkAad(wrapper.id));
}

/**
 * The startup check of the key hierarchy. Refuses (KekError naming the setting) a database
 * bound to a KEK that is not configured, a configured KEK that does not open its key-check value
 * or its data keys, and values of the first format sealed by an unconfigured KEK. Then moves
 * first-format values under data keys and, on a database bound to no KEK yet, binds it to the
 * current one (a KEK rotation moves the binding; see rotate-kek.ts).
 */
export async function verifyKeyring(db: Database, keyring: Keyring): Promise<void> {
  const checks = await db
    .select()
    .from(keyEncryptionKeys)
    .where(isNull(keyEncryptionKeys.retiredAt));
  for (const check of checks) {
    await openCheck(keyring, check.kekId, check.checkValue);
  }

  const wrapping = await db.selectDistinct({ kekId: dataKeys.kekId }).from(dataKeys);
  for (const { kekId } of wrapping) {
    const [sample] = await db.select().from(dataKeys).where(eq(dataKeys.kekId, kekId)).limit(1);
    if (sample === undefined) continue;
    requireConfigured(keyring, kekId, "data keys");
    await keyring.unwrapBytes(sample).catch((cause: unknown) => {
      throw new KekError(`${wrongKey(keyring, kekId)}: ${String(cause)}`, { cause });
    });
  }

  for (const kekId of await legacyKekIds(db)) {
    requireConfigured(keyring, kekId, "stored keys");
  }
  await db.transaction(async (tx) => {
    await reencryptLegacy(tx, keyring);
    if (checks.length === 0) await recordCheck(tx, keyring.current);
  });
}

/** Stores the key-check value of a KEK the database had not seen yet. */
export async function recordCheck(db: Database, wrapper: KeyWrapper): Promise<void> {
  await db
    .insert(keyEncryptionKeys)
    .values({ kekId: wrapper.id, checkValue: await keyCheckValue(wrapper) })
    .onConflictDoNothing();
}

async function openCheck(keyring: Keyring, kekId: string, checkValue: string): Promise<void> {
  const wrapper = requireConfigured(keyring, kekId, "data keys");
  let opened: Uint8Array;
  try {
    opened = await wrapper.unwrap(checkValue, checkAad(kekId));
  } catch (cause) {
    throw new KekError(`${wrongKey(keyring, kekId)}: its key-check value does not open`, {
      cause,
    });
  }
  if (new TextDecoder().decode(opened) !== new TextDecoder().decode(CHECK_PLAINTEXT)) {
    throw new KekError(`${wrongKey(keyring, kekId)}: its key-check value differs`);
  }
}

function requireConfigured(keyring: Keyring, kekId: string, what: string): KeyWrapper {
  const wrapper = keyring.wrapper(kekId);
  if (wrapper === undefined) {
    throw new KekError(
      `the configured key-encryption key (RINGFENCE_KEK, fingerprint ${keyring.current.id}) is ` +
        `not the one that sealed the stored ${what} (fingerprint ${kekId}); start with the ` +
        "original RINGFENCE_KEK, or during a KEK rotation set it as RINGFENCE_KEK_PREVIOUS",
    );
  }
  return wrapper;
}

function wrongKey(keyring: Keyring, kekId: string): string {
  const setting = kekId === keyring.current.id ? "RINGFENCE_KEK" : "RINGFENCE_KEK_PREVIOUS";
  return `${setting} (fingerprint ${kekId}) is not the key the database was sealed with`;
}
