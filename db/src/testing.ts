import pg from "pg";

/**
 * Helpers for test suites of every package that touches the database (`@ringfence/db/testing`).
 * Each test file gets a PostgreSQL database of its own, so parallel files and runs never collide.
 */

/** The PostgreSQL leg's URL, or undefined after a loud warning when it is not configured. */
export function testPostgresUrl(): string | undefined {
  const url = process.env.RINGFENCE_TEST_PG_URL;
  if (!url) console.warn("\n*** RINGFENCE_TEST_PG_URL unset: the PostgreSQL leg is SKIPPED ***\n");
  return url;
}

/** A database created for one test file on the server of `baseUrl`; `drop` removes it. */
export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/** Creates a uniquely named database next to the one `baseUrl` names. */
export async function createScratchDatabase(baseUrl: string): Promise<ScratchDatabase> {
  const name = `rf_${process.pid}_${Date.now()}_${Math.floor(Math.random() * 1e6)}`;
  await withClient(baseUrl, (client) => client.query(`CREATE DATABASE ${name}`));

  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () =>
      withClient(baseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function withClient(url: string, work: (client: pg.Client) => Promise<unknown>) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await work(client);
  } finally {
    await client.end();
  }
}
