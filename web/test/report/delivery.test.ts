import type { Database } from "@ringfence/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  startHecReceiver,
  startSyslogReceiver,
  startWebhookReceiver,
} from "../../../test/receivers/index.ts";
import { createTestPki } from "../../../test/replay/tls.ts";
import { DEFAULT_OUTBOX_SETTINGS, runOutboxRound } from "../../src/server/jobs/outbox.ts";
import { createIntegration } from "../../src/server/services/integrations/create.ts";
import type { ReportContext } from "../../src/server/services/integrations/present.ts";
import { newWebhookSecret } from "../../src/server/services/integrations/secret.ts";
import { decisionEvent, ingest, openTestDatabase, orgWithContext, testRuntime } from "./harness.ts";

const settings = {
  ...DEFAULT_OUTBOX_SETTINGS,
  batchSize: 50,
  backoff: { baseSeconds: 0.05, capSeconds: 0.2 },
};

/** Runs outbox rounds until one does nothing (or `max` rounds), like the worker's busy loop. */
async function drain(db: Database, ctx: ReportContext, max = 100) {
  for (let i = 0; i < max; i++) {
    const round = await runOutboxRound(db, ctx.report, settings);
    if (round.fannedOut === 0 && round.rounds.every((r) => r.claimed === 0)) return;
  }
}

describe("outbox delivery to real receivers on 127.0.0.1 (PGlite)", () => {
  let close: () => Promise<void>;
  let db: Database;
  let ctx: ReportContext;

  beforeAll(async () => {
    const opened = await openTestDatabase("pglite");
    close = opened.close;
    db = opened.database.db;
    ctx = await orgWithContext(db, await testRuntime());
  });
  afterAll(() => close());

  it("delivers every event to webhook, HEC and syslog (TCP and TLS) with each filter applied", async () => {
    const secret = newWebhookSecret();
    const webhook = await startWebhookReceiver({ secret });
    const hec = await startHecReceiver({ token: "hec-token-1" });
    const syslog = await startSyslogReceiver();
    const pki = await createTestPki();
    const syslogTls = await startSyslogReceiver({ tls: pki.server });
    const common = {
      classes: [],
      minSeverity: 0,
      includeAudit: false,
      enabled: true,
      deadLetterAfterSeconds: 3600,
    };
    await createIntegration({
      ctx,
      input: { ...common, kind: "webhook", name: "hook", target: webhook.url, secret },
    });
    await createIntegration({
      ctx,
      input: {
        ...common,
        kind: "splunk_hec",
        name: "hec",
        target: hec.url.replace("127.0.0.1", "siem.test"),
        token: "hec-token-1",
        classes: [2004],
      },
    });
    await createIntegration({
      ctx,
      input: {
        ...common,
        kind: "syslog",
        name: "tcp",
        target: `tcp://127.0.0.1:${syslog.port}`,
        minSeverity: 3,
      },
    });
    await createIntegration({
      ctx,
      input: {
        ...common,
        kind: "syslog",
        name: "tls",
        target: `tls://127.0.0.1:${syslogTls.port}`,
        caPem: pki.caCert,
      },
    });

    const events = Array.from({ length: 60 }, (_, n) => decisionEvent(n));
    expect(await ingest(db, ctx.organizationId, events)).toEqual({ accepted: 60, duplicates: 0 });
    await drain(db, ctx);

    const ids = events.map((e) => e.id);
    const detections = events.filter((e) => e.detections).map((e) => `${e.id}:waf-ssrf`);
    const severe = events.filter((e) => e.action === "deny").map((e) => e.id);
    expect(webhook.collector.rejected).toEqual([]);
    expect([...webhook.collector.uids].sort()).toEqual([...ids, ...detections].sort());
    expect([...hec.collector.uids].sort()).toEqual(detections.sort());
    expect([...syslog.collector.uids].sort()).toEqual([...severe, ...detections].sort());
    expect(syslogTls.collector.uids.size).toBe(ids.length + detections.length);
    expect(syslog.messages[0]).toMatch(
      /^<1\d\d>1 \S+ ringfence ringfence - \d+ - CEF:0\|Ringfence\|/,
    );
    await Promise.all([webhook.close(), hec.close(), syslog.close(), syslogTls.close()]);
  });
});
