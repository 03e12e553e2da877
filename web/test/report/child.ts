/**
 * A control-plane process for the crash tests: it accepts event batches (one JSON array per
 * stdin line) through the real ingestion verb, answers `{"accepted":[ids]}` once they are
 * committed, and runs the outbox worker. SIGTERM stops it gracefully; SIGKILL is the crash.
 */
import { createInterface } from "node:readline";
import { openDatabase } from "@ringfence/db";
import type { DecisionEvent } from "@ringfence/engine/documents";
import { startOutboxWorker } from "../../src/server/jobs/outbox.ts";
import { ingest, testRuntime } from "./harness.ts";

const env = process.env;
const organizationId = env.CHILD_ORG_ID ?? "";
const kek = new Uint8Array(Buffer.from(env.CHILD_KEK ?? "", "base64"));
const database = await openDatabase(
  env.CHILD_DATABASE_URL
    ? { url: env.CHILD_DATABASE_URL, poolSize: 4 }
    : { dataDir: env.CHILD_DATA_DIR },
);
const runtime = await testRuntime(undefined, kek);
const worker = startOutboxWorker({
  db: database.db,
  runtime,
  settings: {
    idleMs: 20,
    batchSize: 25,
    leaseSeconds: 2,
    backoff: { baseSeconds: 0.1, capSeconds: 0.5 },
  },
  onError: (error) => process.stderr.write(`outbox round failed: ${String(error)}\n`),
});

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const batch = JSON.parse(line) as DecisionEvent[];
  ingest(database.db, organizationId, batch).then(
    () => process.stdout.write(`${JSON.stringify({ accepted: batch.map((e) => e.id) })}\n`),
    (error: unknown) => process.stderr.write(`ingest failed: ${String(error)}\n`),
  );
});

process.once("SIGTERM", () => {
  lines.close();
  worker
    .stop()
    .then(() => database.close())
    .then(
      () => process.exit(0),
      () => process.exit(1),
    );
});
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
