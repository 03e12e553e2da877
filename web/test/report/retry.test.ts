import type { Database } from "@ringfence/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver } from "../../../test/receivers/index.ts";
import { DEFAULT_OUTBOX_SETTINGS, runOutboxRound } from "../../src/server/jobs/outbox.ts";
import { createIntegration } from "../../src/server/services/integrations/create.ts";
import type { ReportContext } from "../../src/server/services/integrations/present.ts";
import { newWebhookSecret } from "../../src/server/services/integrations/secret.ts";
import { listAttempts, replayDeliveries } from "../../src/server/services/outbox/replay.ts";
import { applyRetention } from "../../src/server/services/retention/apply.ts";
import { decisionEvent, ingest, openTestDatabase, orgWithContext, testRuntime } from "./harness.ts";

const settings = { ...DEFAULT_OUTBOX_SETTINGS, backoff: { baseSeconds: 0.05, capSeconds: 0.1 } };
const common = { classes: [], minSeverity: 0, includeAudit: false, enabled: true };

async function rounds(db: Database, ctx: ReportContext, count: number) {
  for (let i = 0; i < count; i++) {
    await runOutboxRound(db, ctx.report, settings);
    await new Promise((resolve) => setTimeout(resolve, 120));
  }
}

describe("retries, dead letters, replay and the guard at delivery time (PGlite)", () => {
  let close: () => Promise<void>;
  let db: Database;
  const names: Record<string, string[]> = { "siem.test": ["127.0.0.1"] };

  beforeAll(async () => {
    const opened = await openTestDatabase("pglite");
    close = opened.close;
    db = opened.database.db;
  });
  afterAll(() => close());

  it("retries with backoff while the receiver fails, dead-letters past the horizon, and replays", async () => {
    const ctx = await orgWithContext(db, await testRuntime(names));
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    receiver.failing = true;
    const hook = await createIntegration({
      ctx,
      input: {
        ...common,
        kind: "webhook",
        name: "h",
        target: receiver.url,
        secret,
        deadLetterAfterSeconds: 1,
      },
    });
    const events = [1, 2, 3, 5, 6].map((n) => decisionEvent(n));
    await ingest(db, ctx.organizationId, events);
    await rounds(db, ctx, 12);

    const log = await listAttempts({ ctx, input: { integrationId: hook.id, limit: 50 } });
    expect(log.items.length).toBeGreaterThanOrEqual(2);
    expect(log.items.every((a) => a.outcome === "failed" && a.statusCode === 503)).toBe(true);
    expect(receiver.collector.uids.size).toBe(0);

    receiver.failing = false;
    const replayed = await replayDeliveries({ ctx, input: { integrationId: hook.id } });
    expect(replayed.replayed).toBe(5);
    await rounds(db, ctx, 3);
    expect([...receiver.collector.uids].sort()).toEqual(events.map((e) => e.id).sort());
    await receiver.close();
  });

  it("judges the target again at delivery: a name rebound to the metadata address is blocked", async () => {
    const ctx = await orgWithContext(db, await testRuntime(names));
    const secret = newWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    const hook = await createIntegration({
      ctx,
      input: {
        ...common,
        kind: "webhook",
        name: "h",
        target: receiver.url.replace("127.0.0.1", "siem.test"),
        secret,
        deadLetterAfterSeconds: 3600,
      },
    });
    names["siem.test"] = ["169.254.169.254"];
    await ingest(db, ctx.organizationId, [decisionEvent(1)]);
    await rounds(db, ctx, 2);
    const log = await listAttempts({ ctx, input: { integrationId: hook.id, limit: 10 } });
    expect(log.items[0]).toMatchObject({ outcome: "blocked" });
    expect(log.items[0]?.error).toMatch(/metadata/);
    expect(receiver.collector.received).toBe(0);
    names["siem.test"] = ["127.0.0.1"];
    await receiver.close();
  });

  it("retention creates the coming days' partitions and drops days past the cutoff", async () => {
    const ctx = await orgWithContext(db, await testRuntime(names));
    const old = { ...decisionEvent(1), time: new Date(Date.now() - 40 * 86_400_000).toISOString() };
    await ingest(db, ctx.organizationId, [old, decisionEvent(2)]);
    const result = await applyRetention(db, { days: 30 });
    expect(result.rowsDeleted).toBeGreaterThanOrEqual(1);
    const again = await applyRetention(db, { days: 30 });
    expect(again.partitionsCreated).toBe(0);
  });
});
