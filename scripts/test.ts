// The README's test command: every suite of the workspace, against PGlite and against a real
// PostgreSQL. The PostgreSQL leg gets a database of its own for this run, dropped afterwards.
// Without a reachable server that leg is skipped loudly, unless CI=true, where it must run.
import { spawnSync } from "node:child_process";
import pg from "pg";

const adminUrl =
  process.env.RINGFENCE_TEST_PG_ADMIN_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const inCi = process.env.CI === "true";

async function createRunDatabase(): Promise<string | undefined> {
  const name = `ringfence_test_${process.pid}_${Date.now()}`;
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query(`CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    return url.toString();
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    if (inCi) throw new Error(`PostgreSQL leg cannot run in CI: ${why}`);
    console.warn(
      `\n*** PostgreSQL at ${adminUrl} unreachable (${why}): the PostgreSQL leg is SKIPPED ***\n`,
    );
    return undefined;
  } finally {
    await client.end().catch(() => {});
  }
}

async function dropRunDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await client.end();
}

const pgUrl = await createRunDatabase();
const env = {
  ...process.env,
  ...(pgUrl ? { RINGFENCE_TEST_PG_URL: pgUrl } : {}),
  AWS_EC2_METADATA_DISABLED: "true",
  METADATA_SERVER_DETECTION: "none",
  WRANGLER_SEND_METRICS: "false",
  NEXT_TELEMETRY_DISABLED: "1",
};

const args = process.argv.slice(2);
const suites = spawnSync("pnpm", ["exec", "vitest", "run", ...args], { stdio: "inherit", env });
if (pgUrl) await dropRunDatabase(pgUrl).catch((error) => console.error("drop failed", error));

// The breach replay runs in a network namespace of its own, so it is a separate command; it
// runs with the whole suite (no arguments) and is skipped when a subset was asked for.
const e2e =
  args.length === 0
    ? spawnSync("pnpm", ["exec", "vitest", "run", "--config", "vitest.e2e.config.ts"], {
        cwd: "test",
        stdio: "inherit",
        env,
      })
    : undefined;
process.exit((suites.status ?? 1) || (e2e?.status ?? 0));
