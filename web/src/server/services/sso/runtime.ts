import { Resolver } from "node:dns/promises";
import type { Database } from "@ringfence/db";
import type { SsrfResolver } from "@ringfence/engine/ssrf";
import type { Context } from "hono";
import { z } from "zod";
import type { AppEnv, RequestContext } from "../../context.ts";
import { enforcementOf } from "../enforcers/http.ts";
import type { Keyring } from "../keys/keyring.ts";

/** Looks up the TXT records of a name, each record as its character strings (as node:dns). */
export type TxtResolver = (name: string) => Promise<string[][]>;

/** What SSO needs beyond the database: the sealing key, name lookups and the egress policy. */
export interface SsoRuntime {
  /** Seals client secrets at rest: the enforcement runtime's key hierarchy. */
  keyring: Keyring;
  /** Looks up the identity provider's host for the SSRF guard; tests inject a table. */
  resolver: SsrfResolver;
  /** Non-global destinations an identity provider may live at, e.g. `127.0.0.1` in tests. */
  egressAllow: readonly string[];
  /** TXT lookups for domain verification; tests inject their own zone. */
  resolveTxt: TxtResolver;
}

/** A context that carries the SSO runtime. */
export type WithSso<C extends RequestContext> = C & { sso: SsoRuntime };

const envSchema = z.object({
  RINGFENCE_SSO_EGRESS_ALLOW: z.string().optional(),
  RINGFENCE_DNS_SERVERS: z.string().optional(),
});

/**
 * Non-global destinations identity providers may be reached at, from
 * `RINGFENCE_SSO_EGRESS_ALLOW` (comma-separated CIDRs or names). Empty by default, so an
 * organisation's admin cannot point the control plane at internal addresses.
 */
export function ssoEgressAllowFromEnv(env: Record<string, string | undefined>): string[] {
  const value = envSchema.parse(env).RINGFENCE_SSO_EGRESS_ALLOW ?? "";
  return value
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
}

/**
 * TXT lookups for domain verification: through the DNS servers in `RINGFENCE_DNS_SERVERS`
 * (comma-separated `address` or `address:port`, e.g. a resolver that sees the public zone when
 * the host's own does not), else the operating system's. An entry that is not an address stops
 * startup with the setting's name.
 */
export function systemTxtResolver(env: Record<string, string | undefined> = {}): TxtResolver {
  const resolver = new Resolver({ timeout: 5000, tries: 2 });
  const servers = (envSchema.parse(env).RINGFENCE_DNS_SERVERS ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (servers.length > 0) {
    try {
      resolver.setServers(servers);
    } catch (error) {
      throw new Error(
        `RINGFENCE_DNS_SERVERS is invalid: ${(error as Error).message} (want address or address:port, comma-separated)`,
        { cause: error },
      );
    }
  }
  return (name) => resolver.resolveTxt(name);
}

// FIXME(sso): carry the runtime in CreateAppOptions and the Hono context (owned by the
// Foundation), like enforcement and report would; this registry exists only because createApp
// has no slot for it.
const runtimes = new WeakMap<Database, Omit<SsoRuntime, "keyring">>();

/**
 * Makes the SSO runtime available to the routes of this database. Call once at startup; the keyring
 * comes from the enforcement runtime, which startup prepares too.
 */
export function prepareSso(db: Database, runtime: Omit<SsoRuntime, "keyring">): void {
  runtimes.set(db, runtime);
}

/**
 * Adds the runtime as a property read on first use, so verbs that refuse a request (not found,
 * forbidden) answer that before a missing runtime could turn it into a 500.
 */
export function withSso<C extends RequestContext>(c: Context<AppEnv>, ctx: C): WithSso<C> {
  return Object.defineProperty({ ...ctx }, "sso", {
    get: (): SsoRuntime => {
      const runtime = runtimes.get(c.get("db"));
      if (runtime === undefined) {
        throw new Error("the SSO runtime is not prepared; call prepareSso at startup");
      }
      return { ...runtime, keyring: enforcementOf(c).keyring };
    },
    enumerable: true,
  }) as WithSso<C>;
}
