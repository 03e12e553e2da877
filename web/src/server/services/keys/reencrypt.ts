import { type Database, dataKeys } from "@ringfence/db";
import { type SQL, sql } from "@ringfence/db/orm";
import type { Keyring, SealBinding } from "./keyring.ts";
import { SEALED_COLUMNS, type SealedColumn } from "./sealed-columns.ts";

/** A stored sealed value with the binding that opens it. */
interface SealedValue {
  id: string;
  binding: SealBinding;
  sealed: string;
}

/** Values not sealed by a live data key: under a retired one, or in the first format (`v1`). */
function notUnderLiveKey(column: SealedColumn): SQL {
  return sql`${column.sealed} is not null and (
    split_part(${column.sealed}, '.', 1) <> 'v2'
    or split_part(${column.sealed}, '.', 2) not in (
      select ${dataKeys.id} from ${dataKeys} where ${dataKeys.retiredAt} is null))`;
}

/** Values in the first envelope format, sealed by the KEK itself. */
function legacy(column: SealedColumn): SQL {
  return sql`split_part(${column.sealed}, '.', 1) = 'v1'`;
}

/**
 * Re-seals up to `limit` values that a live data key did not seal, under the live key of their
 * organisation and purpose: the background half of a data-key rotation, and the move of values
 * from the first format. Rows are locked with SKIP LOCKED and each update checks the value is
 * unchanged, so replicas can run this side by side with writers. Returns how many it re-sealed.
 */
export async function reencryptBatch(db: Database, keyring: Keyring, limit = 100): Promise<number> {
  let done = 0;
  for (const column of SEALED_COLUMNS) {
    if (done >= limit) break;
    done += await db.transaction(async (tx) => {
      const values = await selectSealed(tx, column, notUnderLiveKey(column), limit - done, true);
      return reseal(tx, keyring, column, values);
    });
  }
  return done;
}

/**
 * Re-seals every value of the first format in one go (run inside the caller's transaction): at
 * startup, and before a KEK rotation, since those values need the old KEK itself to open.
 */
export async function reencryptLegacy(tx: Database, keyring: Keyring): Promise<number> {
  let done = 0;
  for (const column of SEALED_COLUMNS) {
    const values = await selectSealed(tx, column, legacy(column), undefined, false);
    done += await reseal(tx, keyring, column, values);
  }
  return done;
}

/** The KEK ids that first-format values name, so startup can refuse an unconfigured one. */
export async function legacyKekIds(db: Database): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const column of SEALED_COLUMNS) {
    const rows = await db
      .selectDistinct({ kekId: sql<string>`split_part(${column.sealed}, '.', 2)` })
      .from(column.table)
      .where(legacy(column));
    for (const row of rows) ids.add(row.kekId);
  }
  return ids;
}

/** How many stored values of an organisation each data key sealed, by data key id. */
export async function valuesPerDataKey(
  db: Database,
  organizationId: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const column of SEALED_COLUMNS) {
    if (column.organizationId === null) continue;
    const keyId = sql<string>`split_part(${column.sealed}, '.', 2)`;
    const rows = await db
      .select({ keyId, count: sql<number>`count(*)::int` })
      .from(column.table)
      .where(
        sql`${column.organizationId} = ${organizationId} and split_part(${column.sealed}, '.', 1) = 'v2'`,
      )
      .groupBy(keyId);
    for (const row of rows) counts.set(row.keyId, (counts.get(row.keyId) ?? 0) + row.count);
  }
  return counts;
}

async function selectSealed(
  db: Database,
  column: SealedColumn,
  condition: SQL,
  limit: number | undefined,
  skipLocked: boolean,
): Promise<SealedValue[]> {
  const organizationId = column.organizationId ?? sql<null>`null`;
  const query = db
    .select({ id: column.id, organizationId, row: column.row, sealed: column.sealed })
    .from(column.table)
    .where(condition)
    .$dynamic();
  const limited = limit === undefined ? query : query.limit(limit);
  const rows = await (skipLocked ? limited.for("update", { skipLocked: true }) : limited);
  return rows.map((row) => ({
    id: String(row.id),
    sealed: String(row.sealed),
    binding: {
      purpose: column.purpose,
      organizationId: row.organizationId === null ? null : String(row.organizationId),
      row: String(row.row),
    },
  }));
}

async function reseal(
  tx: Database,
  keyring: Keyring,
  column: SealedColumn,
  values: SealedValue[],
): Promise<number> {
  for (const value of values) {
    const plaintext = await keyring.open(value.sealed, value.binding, tx);
    const next = await keyring.seal(plaintext, value.binding, tx);
    await tx.execute(sql`update ${column.table} set ${sql.identifier(column.sealed.name)} = ${next}
      where ${column.id} = ${value.id} and ${column.sealed} = ${value.sealed}`);
  }
  return values.length;
}
