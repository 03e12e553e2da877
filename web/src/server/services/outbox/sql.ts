import type { Database } from "@ringfence/db";
import type { SQL } from "@ringfence/db/orm";

/**
 * Runs raw SQL and returns its rows. Both drivers answer `execute` with an object holding `rows`;
 * the row type is the caller's promise about its own SELECT list.
 */
export async function queryRows<T>(db: Database, statement: SQL): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}
