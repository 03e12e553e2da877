import {
  type Database,
  type DataKeyPurpose,
  type DataKeyRow,
  dataKeys,
  ID_PREFIXES,
  newId,
} from "@ringfence/db";
import { and, eq, isNull } from "@ringfence/db/orm";
import { gcmOpen, gcmSeal, type KeyWrapper, LocalKeyWrapper, UnwrapError } from "./kms.ts";

/** A sealed value cannot be opened: wrong key-encryption key, or altered or misplaced data. */
export class UnsealError extends Error {
  override readonly name = "UnsealError";
}

/**
 * Where a sealed value lives. All three are bound into the ciphertext as associated data, so a
 * value copied into another row, organisation or purpose does not open.
 */
export interface SealBinding {
  purpose: DataKeyPurpose;
  /** The owning organisation; null for instance-wide secrets such as a user's TOTP seed. */
  organizationId: string | null;
  /** The row (and field, when a row holds several secrets) the value is stored in. */
  row: string;
}

/** A data key opened in memory, with what it may seal. */
export interface OpenDataKey {
  id: string;
  organizationId: string | null;
  purpose: DataKeyPurpose;
  key: CryptoKey;
}

/** The associated data the first envelope format (sealed by the KEK directly) used. */
const LEGACY_CONTEXT: Record<DataKeyPurpose, (binding: SealBinding) => string> = {
  "bundle-signing": (b) => `signing-key:${b.organizationId}:${b.row}`,
  ca: (b) => `ca-key:${b.organizationId}:${b.row}`,
  "integration-secrets": (b) => `integration-secret:${b.organizationId}:${b.row}`,
  "cloud-credentials": (b) => `cloud_account:${b.organizationId}:${b.row}`,
  identity: (b) => b.row,
};

/**
 * The key hierarchy in one process: the configured KEKs (the current one first; the previous
 * one too during a KEK rotation) and the data keys they wrap, opened on first use and kept in
 * memory. A data key's bytes never change (a KEK rotation only rewraps them), so the cache never
 * goes stale; which data key is live is read from the database at every seal.
 *
 * Sealed values read `v2.<data key id>.<iv>.<ciphertext and tag>` (AES-256-GCM).
 */
export class Keyring {
  readonly #wrappers: readonly KeyWrapper[];
  readonly #db: Database | undefined;
  readonly #open = new Map<string, OpenDataKey>();

  constructor(wrappers: readonly KeyWrapper[], db?: Database) {
    if (wrappers.length === 0) throw new Error("a keyring needs at least one KEK");
    this.#wrappers = wrappers;
    this.#db = db;
  }

  /** The KEK that wraps new data keys. */
  get current(): KeyWrapper {
    const [current] = this.#wrappers;
    if (current === undefined) throw new Error("a keyring needs at least one KEK");
    return current;
  }

  /** Every configured KEK, the current one first. */
  get wrappers(): readonly KeyWrapper[] {
    return this.#wrappers;
  }

  /** The configured KEK with this id, if any. */
  wrapper(kekId: string): KeyWrapper | undefined {
    return this.#wrappers.find((wrapper) => wrapper.id === kekId);
  }

  /**
   * Seals under the live data key of the binding's organisation and purpose, creating it on
   * first use. Inside a transaction, pass it as `db`.
   */
  async seal(plaintext: Uint8Array, binding: SealBinding, db?: Database): Promise<string> {
    const dataKey = await this.liveDataKey(this.#database(db), binding);
    const body = await gcmSeal(
      dataKey.key,
      new Uint8Array(plaintext),
      sealAad(dataKey.id, binding),
    );
    return `v2.${dataKey.id}.${body}`;
  }

  /** Opens what `seal` produced for the same binding; throws UnsealError otherwise. */
  async open(
    sealed: string,
    binding: SealBinding,
    db?: Database,
  ): Promise<Uint8Array<ArrayBuffer>> {
    const [version, keyId, iv, body, extra] = sealed.split(".");
    if (keyId === undefined || iv === undefined || body === undefined || extra !== undefined) {
      throw new UnsealError("the sealed value is malformed");
    }
    if (version === "v1") {
      return this.#openLegacy(keyId, `${iv}.${body}`, binding);
    }
    if (version !== "v2") {
      throw new UnsealError(`the sealed value has the unknown format ${version}`);
    }

    const dataKey = await this.dataKey(this.#database(db), keyId);
    if (dataKey.purpose !== binding.purpose || dataKey.organizationId !== binding.organizationId) {
      throw new UnsealError("the sealed value belongs to another organisation or purpose");
    }
    try {
      return await gcmOpen(dataKey.key, `${iv}.${body}`, sealAad(dataKey.id, binding));
    } catch (cause) {
      throw new UnsealError("the sealed value does not open: altered, or bound to another row", {
        cause,
      });
    }
  }

  /** The live data key of an organisation (or the instance) and purpose, created on first use. */
  async liveDataKey(
    db: Database,
    owner: Pick<SealBinding, "organizationId" | "purpose">,
  ): Promise<OpenDataKey> {
    const existing = await selectLive(db, owner);
    if (existing !== undefined) return this.#unwrapRow(existing);

    // Two first uses may race; the partial unique index lets one insert win, the other re-reads.
    await this.insertDataKey(db, owner);
    const created = await selectLive(db, owner);
    if (created === undefined) throw new Error("no live data key after creating one");
    return this.#unwrapRow(created);
  }

  /** Generates a data key and stores it wrapped by the current KEK; a live one blocks it. */
  async insertDataKey(
    db: Database,
    owner: Pick<SealBinding, "organizationId" | "purpose">,
  ): Promise<void> {
    const bytes = crypto.getRandomValues(new Uint8Array(32));
    const row = { organizationId: owner.organizationId, purpose: owner.purpose };
    const id = newId(ID_PREFIXES.dataKey);
    const wrappedKey = await this.current.wrap(bytes, dataKeyAad({ id, ...row }));
    await db
      .insert(dataKeys)
      .values({ id, ...row, kekId: this.current.id, wrappedKey })
      .onConflictDoNothing();
  }

  /** A data key by id, from memory or the database. */
  async dataKey(db: Database, id: string): Promise<OpenDataKey> {
    const cached = this.#open.get(id);
    if (cached !== undefined) return cached;
    const [row] = await db.select().from(dataKeys).where(eq(dataKeys.id, id));
    if (row === undefined) throw new UnsealError(`the data key ${id} does not exist`);
    return this.#unwrapRow(row);
  }

  /** The raw bytes of a stored data key, unwrapped by whichever configured KEK wrapped it. */
  async unwrapBytes(row: DataKeyRow): Promise<Uint8Array<ArrayBuffer>> {
    const wrapper = this.wrapper(row.kekId);
    if (wrapper === undefined) {
      throw new UnsealError(
        `data key ${row.id} is wrapped by KEK ${row.kekId}, which is not configured ` +
          `(RINGFENCE_KEK is ${this.current.id})`,
      );
    }
    try {
      return await wrapper.unwrap(row.wrappedKey, dataKeyAad(row));
    } catch (cause) {
      const reason = cause instanceof UnwrapError ? cause.message : "it does not unwrap";
      throw new UnsealError(
        `data key ${row.id} does not unwrap under KEK ${row.kekId}: ${reason}`,
        {
          cause,
        },
      );
    }
  }

  /** The data key wrapped by the current KEK, for a KEK rotation to store. */
  async rewrap(row: DataKeyRow): Promise<string> {
    return this.current.wrap(await this.unwrapBytes(row), dataKeyAad(row));
  }

  async #unwrapRow(row: DataKeyRow): Promise<OpenDataKey> {
    const cached = this.#open.get(row.id);
    if (cached !== undefined) return cached;
    const bytes = await this.unwrapBytes(row);
    const key = await crypto.subtle.importKey("raw", bytes, "AES-GCM", false, [
      "encrypt",
      "decrypt",
    ]);
    const open = { id: row.id, organizationId: row.organizationId, purpose: row.purpose, key };
    this.#open.set(row.id, open);
    return open;
  }

  async #openLegacy(kekId: string, body: string, binding: SealBinding) {
    const wrapper = this.wrapper(kekId);
    if (!(wrapper instanceof LocalKeyWrapper)) {
      throw new UnsealError(
        `the value was sealed with key-encryption key ${kekId}, not the configured ${this.current.id}`,
      );
    }
    try {
      return await gcmOpen(wrapper.key, body, LEGACY_CONTEXT[binding.purpose](binding));
    } catch (cause) {
      throw new UnsealError("the sealed value does not open: altered, or bound to another row", {
        cause,
      });
    }
  }

  #database(db: Database | undefined): Database {
    const chosen = db ?? this.#db;
    if (chosen === undefined) {
      throw new Error("this keyring has no database; pass the one holding its data keys");
    }
    return chosen;
  }
}

/** The id of the data key a sealed value names (`v2`), without opening it. */
export function sealedDataKeyId(sealed: string): string | undefined {
  const [version, keyId] = sealed.split(".");
  return version === "v2" ? keyId : undefined;
}

function sealAad(dataKeyId: string, binding: SealBinding): string {
  // The row comes last: every field before it has a fixed alphabet without `|`.
  const owner = binding.organizationId ?? "instance";
  return `ringfence-seal|v2|${binding.purpose}|${owner}|${dataKeyId}|${binding.row}`;
}

function dataKeyAad(row: Pick<DataKeyRow, "id" | "organizationId" | "purpose">): string {
  return `ringfence-data-key|${row.id}|${row.organizationId ?? "instance"}|${row.purpose}`;
}

async function selectLive(
  db: Database,
  owner: Pick<SealBinding, "organizationId" | "purpose">,
): Promise<DataKeyRow | undefined> {
  const organization =
    owner.organizationId === null
      ? isNull(dataKeys.organizationId)
      : eq(dataKeys.organizationId, owner.organizationId);
  const [row] = await db
    .select()
    .from(dataKeys)
    .where(and(organization, eq(dataKeys.purpose, owner.purpose), isNull(dataKeys.retiredAt)));
  return row;
}
