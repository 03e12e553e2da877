import { lookup } from "node:dns/promises";
import type { Database } from "@ringfence/db";
import type { SsrfResolver } from "@ringfence/engine/ssrf";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../context.ts";
import type { KeyEncryptionKey } from "../keys/kek.ts";

/** What integrations and the outbox need beyond the database: keys, name lookups, egress. */
export interface ReportRuntime {
  /** Seals integration secrets at rest (the same key that seals signing keys). */
  kek: KeyEncryptionKey;
  /** Looks target host names up for the SSRF guard; tests inject a fixed table. */
  resolver: SsrfResolver;
  /** Non-global destinations integrations may reach (CIDRs or names), e.g. `127.0.0.1`. */
  egressAllow: readonly string[];
  /** The version stamped into OCSF `metadata.product.version`. */
  productVersion: string;
}

const envSchema = z.object({
  RINGFENCE_INTEGRATION_EGRESS_ALLOW: z.string().optional(),
});

/**
 * The egress allowlist from `RINGFENCE_INTEGRATION_EGRESS_ALLOW` (comma-separated CIDRs or
 * names). Empty by default: integrations reach only global addresses unless configured.
 */
export function egressAllowFromEnv(env: Record<string, string | undefined>): string[] {
  const value = envSchema.parse(env).RINGFENCE_INTEGRATION_EGRESS_ALLOW ?? "";
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/** The operating system's resolver, for production; every answer is judged by the guard. */
export const systemResolver: SsrfResolver = async (hostname) => {
  const answers = await lookup(hostname, { all: true, verbatim: true });
  return answers.map((answer) => answer.address);
};

// FIXME(report): carry the runtime in CreateAppOptions and the Hono context (owned by the
// Foundation), as enforcement would like too; this registry exists only because createApp has
// no slot for it.
const runtimes = new WeakMap<Database, ReportRuntime>();

/** Makes the runtime available to the report routes of this database. Call once at startup. */
export function prepareReport(db: Database, runtime: ReportRuntime): ReportRuntime {
  runtimes.set(db, runtime);
  return runtime;
}

/** The runtime of the request's database; a missing one is a startup mistake, hence 500. */
export function reportOf(c: Context<AppEnv>): ReportRuntime {
  return reportOfDatabase(c.get("db"));
}

/** The runtime prepared for a database (the job loops have no request to ask). */
export function reportOfDatabase(db: Database): ReportRuntime {
  const runtime = runtimes.get(db);
  if (runtime === undefined) {
    throw new Error("the report runtime is not prepared; call prepareReport at startup");
  }
  return runtime;
}
