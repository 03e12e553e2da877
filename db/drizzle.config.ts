import { defineConfig } from "drizzle-kit";

// Generating migrations needs no database: drizzle-kit diffs the schema files against the
// snapshots in migrations/meta. Run it through `pnpm --filter @ringfence/db generate`, which holds
// the migrations lock so two engineers never number two migrations alike.
export default defineConfig({
  dialect: "postgresql",
  schema: "./src/schema/*.ts",
  out: "./migrations",
  strict: true,
  verbose: true,
});
