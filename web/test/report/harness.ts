import { type Database, openDatabase, organizations, type RingfenceDatabase } from "@ringfence/db";
import { createScratchDatabase } from "@ringfence/db/testing";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { loadConfig } from "../../src/server/config.ts";
import { BundleNotifier } from "../../src/server/services/bundles/notifier.ts";
import { DEFAULT_ENFORCEMENT_SETTINGS } from "../../src/server/services/enforcers/runtime.ts";
import { IngestGate } from "../../src/server/services/ingest/gate.ts";
import { storeEvents } from "../../src/server/services/ingest/store-events.ts";
import type { ReportContext } from "../../src/server/services/integrations/present.ts";
import type { ReportRuntime } from "../../src/server/services/integrations/runtime.ts";
import { importKek } from "../../src/server/services/keys/kek.ts";

/** The names test targets use, answered without the system resolver. */
export const TEST_NAMES: Record<string, string[]> = {
  "siem.test": ["127.0.0.1"],
  "metadata.test": ["169.254.169.254"],
};

/** A resolver over a table; unknown names fail like NXDOMAIN. Never the system resolver. */
export function tableResolver(table: Record<string, string[]> = TEST_NAMES) {
  return async (name: string) => {
    const answer = table[name];
    if (!answer) throw new Error(`no test record for ${name}`);
    return answer;
  };
}

/** A report runtime with a fresh key, the table resolver and loopback allowlisted. */
export async function testRuntime(
  table?: Record<string, string[]>,
  kekBytes: Uint8Array<ArrayBuffer> = crypto.getRandomValues(new Uint8Array(32)),
): Promise<ReportRuntime> {
  const kek = await importKek(kekBytes);
  return {
    kek,
    resolver: tableResolver(table),
    egressAllow: ["127.0.0.1"],
    productVersion: "0.1.0",
  };
}

/** A database of its own: PGlite in memory, or a scratch PostgreSQL database when asked. */
export async function openTestDatabase(
  backend: "pglite" | "pg",
): Promise<{ database: RingfenceDatabase; url?: string; close(): Promise<void> }> {
  if (backend === "pglite") {
    const database = await openDatabase({ inMemory: true });
    return { database, close: () => database.close() };
  }
  const base = process.env.RINGFENCE_TEST_PG_URL;
  if (!base) throw new Error("the PostgreSQL leg needs RINGFENCE_TEST_PG_URL");
  const scratch = await createScratchDatabase(base);
  const database = await openDatabase({ url: scratch.url, poolSize: 4 });
  return {
    database,
    url: scratch.url,
    close: async () => {
      await database.close();
      await scratch.drop();
    },
  };
}

/** Creates an organisation and returns the context services see inside it. */
export async function orgWithContext(db: Database, runtime: ReportRuntime): Promise<ReportContext> {
  const slug = `org-${crypto.randomUUID().slice(0, 8)}`;
  const [org] = await db.insert(organizations).values({ name: slug, slug }).returning();
  if (!org) throw new Error("no organisation created");
  return {
    db,
    requestId: "req_test",
    config: loadConfig({ RINGFENCE_LOG: "silent" }),
    actor: { type: "system", id: "test" },
    organizationId: org.id,
    role: "owner",
    report: runtime,
  };
}

/** A decision event numbered `n`; every fourth is a denied request with a WAF detection. */
export function decisionEvent(n: number, enforcerId = "enf_test"): DecisionEvent {
  const base = {
    schemaVersion: 1 as const,
    id: crypto.randomUUID(),
    time: new Date(Date.now() - 1000 + (n % 1000)).toISOString(),
    enforcer: { id: enforcerId, kind: "gateway" as const },
    src: { ip: `10.0.${(n >> 8) & 255}.${n & 255}`, port: 40000 + (n % 1000) },
    dst: { host: "bucket.s3.amazonaws.com", port: 443 },
    reasons: {
      ruleId: `rul_${n % 5}`,
      sourceObjects: ["web-tier"],
      mode: "proxy" as const,
      monitor: false,
    },
  };
  if (n % 4 !== 0) return { ...base, kind: "connection", action: n % 3 === 0 ? "deny" : "allow" };
  return {
    ...base,
    kind: "request",
    action: "deny",
    http: { method: "GET", url: "https://app.example/?u=http://169.254.169.254/", status: 403 },
    detections: [
      {
        id: "waf-ssrf",
        category: "waf",
        location: "query:u",
        evidence: "169.254.169.254",
        severity: "critical",
        action: "deny",
      },
    ],
  };
}

/** Stores events through the real ingestion verb, as an enforcer's batch would be. */
export async function ingest(db: Database, organizationId: string, batch: DecisionEvent[]) {
  const enforcerId = batch[0]?.enforcer.id ?? "enf_test";
  const keyring = await importKek(crypto.getRandomValues(new Uint8Array(32)), db);
  return storeEvents({
    ctx: {
      db,
      requestId: "req_ingest",
      config: loadConfig({ RINGFENCE_LOG: "silent" }),
      enforcer: { id: enforcerId, organizationId, name: "test", kind: "gateway" },
      enforcement: {
        keyring,
        kek: keyring,
        notifier: new BundleNotifier(),
        ingestGate: new IngestGate(8, 100_000),
        settings: DEFAULT_ENFORCEMENT_SETTINGS,
      },
    },
    input: { events: batch },
  });
}
