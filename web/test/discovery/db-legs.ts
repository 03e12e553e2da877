import { openDatabase, organizations, type RingfenceDatabase } from "@ringfence/db";
import { createScratchDatabase, testPostgresUrl } from "@ringfence/db/testing";
import { importKek } from "../../src/server/services/keys/kek.ts";

const pgUrl = testPostgresUrl();

/** A database leg: PGlite always; PostgreSQL when RINGFENCE_TEST_PG_URL is set (else skipped loudly). */
export interface Leg {
  name: string;
  skip: boolean;
  open: () => Promise<{ database: RingfenceDatabase; drop?: () => Promise<void> }>;
}

export const legs: Leg[] = [
  {
    name: "pglite",
    skip: false,
    open: async () => ({ database: await openDatabase({ inMemory: true }) }),
  },
  {
    name: "postgres",
    skip: !pgUrl,
    open: async () => {
      const scratch = await createScratchDatabase(pgUrl ?? "");
      return { database: await openDatabase({ url: scratch.url }), drop: scratch.drop };
    },
  },
];

/** A fresh organisation to own the test's accounts. */
export async function newOrganization(database: RingfenceDatabase, slug: string): Promise<string> {
  const [org] = await database.db.insert(organizations).values({ name: slug, slug }).returning();
  if (!org) throw new Error("organisation insert returned nothing");
  return org.id;
}

/** A key-encryption key made for the test run. */
export const testKek = () => importKek(crypto.getRandomValues(new Uint8Array(32)));
