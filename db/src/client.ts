import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import type { ExtractTablesWithRelations } from "drizzle-orm";
import { drizzle as drizzleNodePg } from "drizzle-orm/node-postgres";
import { migrate as migrateNodePg } from "drizzle-orm/node-postgres/migrator";
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import pg from "pg";
import { type DirectoryLock, lockDataDirectory } from "./lock.ts";
import * as schema from "./schema/index.ts";

export type Schema = typeof schema;

/**
 * The one database type services see, whichever driver is underneath. A transaction is a
 * `Database` too, so a service written against `Database` runs inside or outside one.
 */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;

/** The `tx` passed to `db.transaction(async (tx) => …)`. */
export type Transaction = PgTransaction<
  PgQueryResultHKT,
  Schema,
  ExtractTablesWithRelations<Schema>
>;

/** Where the data lives. With `url` unset, PGlite runs in this process on `dataDir`. */
export interface DatabaseConfig {
  /** A PostgreSQL connection string (`DATABASE_URL`); switches to node-postgres. */
  url?: string | undefined;
  /** PGlite's directory; default `.ringfence/pgdata` under the working directory. */
  dataDir?: string | undefined;
  /** PGlite in memory, for tests that need no persistence. Ignored when `url` is set. */
  inMemory?: boolean | undefined;
  /** node-postgres pool size; default 10. */
  poolSize?: number | undefined;
  /** Where the SQL migrations are; default this package's `migrations/`. */
  migrationsFolder?: string | undefined;
}

/** An open database with its migrations applied. */
export interface RingfenceDatabase {
  readonly db: Database;
  readonly driver: "pglite" | "postgres";
  /** The PGlite directory, when there is one. */
  readonly dataDir: string | undefined;
  close(): Promise<void>;
}

// A path join rather than `new URL("../migrations", import.meta.url)`: bundlers such as
// Turbopack read the URL form as an asset import of a folder and fail the build.
export const DEFAULT_MIGRATIONS_FOLDER = join(
  dirname(fileURLToPath(import.meta.url)),
  "..",
  "migrations",
);

/** An arbitrary constant naming the advisory lock that serialises migrations across replicas. */
const MIGRATION_LOCK_KEY = 7_102_019;

/**
 * Opens the database and applies pending migrations. PGlite (the default) takes an exclusive
 * lock on its directory first and refuses with `DatabaseLockedError` when another live process
 * holds it; PostgreSQL replicas serialise their migrations on an advisory lock.
 */
export async function openDatabase(config: DatabaseConfig = {}): Promise<RingfenceDatabase> {
  const migrationsFolder = config.migrationsFolder ?? DEFAULT_MIGRATIONS_FOLDER;
  if (config.url) return openPostgres(config.url, config.poolSize ?? 10, migrationsFolder);
  if (config.inMemory) return openPglite(undefined, migrationsFolder);
  // The directory is chosen at run time; tell the bundler not to trace the whole project for it.
  const dataDir = resolve(/*turbopackIgnore: true*/ config.dataDir ?? ".ringfence/pgdata");
  return openPglite(dataDir, migrationsFolder);
}

async function openPglite(
  dataDir: string | undefined,
  migrationsFolder: string,
): Promise<RingfenceDatabase> {
  let lock: DirectoryLock | undefined;
  if (dataDir) {
    lock = lockDataDirectory(dataDir);
    mkdirSync(dataDir, { recursive: true });
  }

  const client = new PGlite(dataDir);
  const close = async () => {
    if (!client.closed) await client.close();
    lock?.release();
  };

  try {
    await client.waitReady;
    const db = drizzlePglite({ client, schema });
    await migratePglite(db, { migrationsFolder });
    return { db, driver: "pglite", dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function openPostgres(
  url: string,
  poolSize: number,
  migrationsFolder: string,
): Promise<RingfenceDatabase> {
  // Two connections at least: one holds the migration lock while another migrates.
  const pool = new pg.Pool({ connectionString: url, max: Math.max(2, poolSize) });
  // An idle connection the server ends (a restart, pg_terminate_backend) is dropped by the pool
  // and replaced at the next query; unheard, its error would crash the whole process.
  pool.on("error", (error) => {
    console.error(JSON.stringify({ msg: "idle database connection lost", error: error.message }));
  });
  const db = drizzleNodePg({ client: pool, schema });

  try {
    const holder = await pool.connect();
    try {
      await holder.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_KEY]);
      await migrateNodePg(db, { migrationsFolder });
    } finally {
      await holder.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_KEY]).catch(() => {});
      holder.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return { db, driver: "postgres", dataDir: undefined, close: () => pool.end() };
}
