import { openDatabase } from "@ringfence/db";
import { ConfigError, loadConfig } from "../config.ts";
import { KekError, loadKeyring } from "../services/keys/kek.ts";
import { rotateKek } from "../services/keys/rotate-kek.ts";
import { keyringStatus } from "../services/keys/status.ts";
import { verifyKeyring } from "../services/keys/verify.ts";

const USAGE = `usage: pnpm keys <command>

  status       the KEKs the database is bound to and how many data keys each wraps
  rotate-kek   rewrap every data key under RINGFENCE_KEK; the old key is read from
               RINGFENCE_KEK_PREVIOUS (or _FILE) and is not needed afterwards

Reads the control plane's settings (DATABASE_URL or RINGFENCE_DATA_DIR, RINGFENCE_KEK...).
With the embedded database, stop the control plane first: PGlite has one owner process.`;

/**
 * The operator's key commands. KEK rotation is an operator's act on the whole installation,
 * not an organisation's, so it is a command next to the database rather than an API route.
 */
async function main(argv: string[]): Promise<number> {
  const command = argv[0];
  if (command !== "status" && command !== "rotate-kek") {
    process.stderr.write(`${USAGE}\n`);
    return command === undefined || command === "--help" ? 0 : 2;
  }

  const config = loadConfig(process.env);
  const dataDir = config.databaseUrl ? undefined : config.dataDir;
  const database = await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir });
  try {
    const keyring = await loadKeyring(process.env, dataDir, database.db);
    await verifyKeyring(database.db, keyring);
    const result =
      command === "status"
        ? await keyringStatus(database.db, keyring)
        : await rotateKek(database.db, keyring);
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof KekError || error instanceof ConfigError;
    process.stderr.write(`${known ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
