import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { openDatabase } from "@ringfence/db";
import { createScratchDatabase } from "@ringfence/db/testing";
import { describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/receivers/index.ts";
import { createIntegration } from "../../src/server/services/integrations/create.ts";
import { newWebhookSecret } from "../../src/server/services/integrations/secret.ts";
import { decisionEvent, orgWithContext, testRuntime } from "./harness.ts";

const CHILD = join(import.meta.dirname, "child.ts");
const pgUrl = process.env.RINGFENCE_TEST_PG_URL;
if (!pgUrl)
  console.warn(
    "\n*** report crash test: RINGFENCE_TEST_PG_URL unset, PostgreSQL leg SKIPPED ***\n",
  );

/** A running control-plane child and the event ids it has acknowledged as committed. */
interface Child {
  process: ChildProcess;
  send(batch: unknown[]): void;
}

async function startChild(env: Record<string, string>, accepted: Set<string>): Promise<Child> {
  const child = spawn(process.execPath, ["--import", "tsx", CHILD], {
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "inherit"],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`child exited early (${code})`)));
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on("line", (line) => {
      const message = JSON.parse(line) as { ready?: true; accepted?: string[] };
      if (message.ready) resolve();
      for (const id of message.accepted ?? []) accepted.add(id);
    });
  });
  await ready;
  child.removeAllListeners("exit");
  return { process: child, send: (batch) => child.stdin?.write(`${JSON.stringify(batch)}\n`) };
}

async function stopChild(child: Child, signal: "SIGKILL" | "SIGTERM") {
  const exited = new Promise((resolve) => child.process.once("exit", resolve));
  child.process.kill(signal);
  await exited;
}

async function until(condition: () => boolean, timeoutMs: number, what: string) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Sends `count` events numbered from `from`, in batches of 20 every 20 ms. */
async function feed(child: Child, from: number, count: number) {
  for (let n = from; n < from + count; n += 20) {
    child.send(Array.from({ length: 20 }, (_, i) => decisionEvent(n + i)));
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Runs the whole scenario: events accepted before, during and after a stop of the control plane
 * that happens while deliveries are in flight; every accepted event must reach the receiver.
 */
async function scenario(
  env: Record<string, string>,
  signal: "SIGKILL" | "SIGTERM",
  receiver: WebhookReceiver,
) {
  const accepted = new Set<string>();
  const first = await startChild(env, accepted);
  await feed(first, 0, 300);
  await until(() => receiver.collector.uids.size >= 50, 60_000, "first deliveries");
  await stopChild(first, signal);
  const acceptedBefore = accepted.size;

  const second = await startChild(env, accepted);
  await feed(second, 300, 200);
  await until(() => accepted.size >= acceptedBefore + 200, 60_000, "the second batches' acks");
  const delivered = () => [...accepted].every((id) => receiver.collector.uids.has(id));
  await until(delivered, 120_000, "every accepted event at the receiver");
  await stopChild(second, "SIGTERM");
  const lost = [...accepted].filter((id) => !receiver.collector.uids.has(id));
  return { accepted: accepted.size, lost: lost.length, received: receiver.collector.received };
}

/** Creates the organisation and a webhook integration for `receiver`, then closes the database. */
async function prepare(
  open: () => Promise<Awaited<ReturnType<typeof openDatabase>>>,
  receiver: WebhookReceiver,
  secret: string,
) {
  const kekBytes = crypto.getRandomValues(new Uint8Array(32));
  const runtime = await testRuntime(undefined, kekBytes);
  const database = await open();
  const ctx = await orgWithContext(database.db, runtime);
  await createIntegration({
    ctx,
    input: {
      kind: "webhook",
      name: "siem",
      target: receiver.url,
      secret,
      classes: [4001, 4002],
      minSeverity: 0,
      includeAudit: false,
      enabled: true,
      deadLetterAfterSeconds: 3600,
    },
  });
  await database.close();
  return { kek: Buffer.from(kekBytes).toString("base64"), orgId: ctx.organizationId };
}

describe("no accepted event is lost across a control-plane stop during delivery", () => {
  it.skipIf(!pgUrl)(
    "PostgreSQL: SIGKILL mid-delivery, restart, zero events lost",
    async () => {
      const scratch = await createScratchDatabase(pgUrl ?? "");
      const secret = newWebhookSecret();
      const receiver = await startWebhookReceiver({ secret, delayMs: 30 });
      try {
        const setup = await prepare(
          () => openDatabase({ url: scratch.url, poolSize: 2 }),
          receiver,
          secret,
        );
        const result = await scenario(
          { CHILD_DATABASE_URL: scratch.url, CHILD_ORG_ID: setup.orgId, CHILD_KEK: setup.kek },
          "SIGKILL",
          receiver,
        );
        expect(result.lost).toBe(0);
        expect(result.accepted).toBeGreaterThanOrEqual(400);
        console.info(`report crash (pg): ${JSON.stringify(result)}`);
      } finally {
        await receiver.close();
        await scratch.drop();
      }
    },
    300_000,
  );

  it("PGlite: graceful stop mid-delivery, restart, zero events lost", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rf-report-"));
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver({ secret, delayMs: 30 });
    try {
      const setup = await prepare(() => openDatabase({ dataDir }), receiver, secret);
      const result = await scenario(
        { CHILD_DATA_DIR: dataDir, CHILD_ORG_ID: setup.orgId, CHILD_KEK: setup.kek },
        "SIGTERM",
        receiver,
      );
      expect(result.lost).toBe(0);
      console.info(`report crash (pglite): ${JSON.stringify(result)}`);
    } finally {
      await receiver.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 300_000);
});
