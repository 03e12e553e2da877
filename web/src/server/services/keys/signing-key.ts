import { type Database, type SigningKeyRow, signingKeys } from "@ringfence/db";
import { and, desc, eq, isNotNull, isNull } from "@ringfence/db/orm";
import {
  fromBase64,
  generateSigningKeyPair,
  importSigningKey,
  type TrustedKey,
  toBase64,
} from "@ringfence/engine/bundle";
import type { Keyring, SealBinding } from "./keyring.ts";

/** A signing key ready to sign, with the row it came from. */
export interface LiveSigningKey {
  row: SigningKeyRow;
  privateKey: CryptoKey;
}

/** Retired keys named in each bundle's `retire` list, so enforcers drop them too. */
const RETIRE_LIST_LENGTH = 8;

function sealBinding(organizationId: string, keyId: string): SealBinding {
  return { purpose: "bundle-signing", organizationId, row: keyId };
}

/**
 * The organisation's live signing key, generated and sealed on first use. With `lock`, the row
 * is locked until the transaction ends, which serialises publishing and rotation per
 * organisation (so versions are assigned one at a time).
 */
export async function liveSigningKey(
  tx: Database,
  kek: Keyring,
  organizationId: string,
  options: { lock?: boolean } = {},
): Promise<LiveSigningKey> {
  const existing = await selectLive(tx, organizationId, options.lock ?? false);
  if (existing !== undefined) {
    return { row: existing, privateKey: await openSigningKey(kek, existing, tx) };
  }

  // Two first uses may race; the partial unique index lets one insert win, the other re-reads.
  await insertSigningKey(tx, kek, organizationId);
  const created = await selectLive(tx, organizationId, options.lock ?? false);
  if (created === undefined) {
    throw new Error(`no live signing key for ${organizationId} after creating one`);
  }
  return { row: created, privateKey: await openSigningKey(kek, created, tx) };
}

/** Generates, seals and inserts a new live key; does nothing when one is already live. */
export async function insertSigningKey(
  tx: Database,
  kek: Keyring,
  organizationId: string,
): Promise<void> {
  const pair = await generateSigningKeyPair();
  const pkcs8 = fromBase64(pair.privateKeyPkcs8) ?? new Uint8Array();
  const sealed = await kek.seal(pkcs8, sealBinding(organizationId, pair.keyId), tx);
  await tx
    .insert(signingKeys)
    .values({
      organizationId,
      keyId: pair.keyId,
      publicKey: pair.publicKey,
      sealedPrivateKey: sealed,
    })
    .onConflictDoNothing();
}

/** Opens a stored key for signing; throws UnsealError under the wrong key-encryption key. */
export async function openSigningKey(
  kek: Keyring,
  row: SigningKeyRow,
  db?: Database,
): Promise<CryptoKey> {
  const binding = sealBinding(row.organizationId, row.keyId);
  const pkcs8 = await kek.open(row.sealedPrivateKey, binding, db);
  return importSigningKey(toBase64(pkcs8));
}

/** The keys a newly registered enforcer trusts: the live one. */
export function trustedKeyOf(row: SigningKeyRow): TrustedKey {
  return { keyId: row.keyId, publicKey: row.publicKey };
}

/** The most recently retired key ids, newest first, for a bundle's `retire` list. */
export async function recentlyRetiredKeyIds(
  tx: Database,
  organizationId: string,
): Promise<string[]> {
  const rows = await tx
    .select({ keyId: signingKeys.keyId })
    .from(signingKeys)
    .where(and(eq(signingKeys.organizationId, organizationId), isNotNull(signingKeys.retiredAt)))
    .orderBy(desc(signingKeys.retiredAt))
    .limit(RETIRE_LIST_LENGTH);
  return rows.map((row) => row.keyId);
}

async function selectLive(
  tx: Database,
  organizationId: string,
  lock: boolean,
): Promise<SigningKeyRow | undefined> {
  const query = tx
    .select()
    .from(signingKeys)
    .where(and(eq(signingKeys.organizationId, organizationId), isNull(signingKeys.retiredAt)));
  const [row] = lock ? await query.for("update") : await query;
  return row;
}
