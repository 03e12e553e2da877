import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/receivers/index.ts";
import { DEFAULT_OUTBOX_SETTINGS, runOutboxRound } from "../../src/server/jobs/outbox.ts";
import {
  prepareReport,
  type ReportRuntime,
} from "../../src/server/services/integrations/runtime.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";
import { decisionEvent, ingest, testRuntime } from "./harness.ts";

const SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

describe("an integration created after events were stored", () => {
  let server: TestServer;
  let runtime: ReportRuntime;
  let owner: TestUser;
  let orgId: string;
  let receiver: WebhookReceiver;
  let integrationId: string;
  const history = Array.from({ length: 12 }, (_, n) => decisionEvent(n));
  const later = [decisionEvent(100)];
  const as = (method: string, path: string, body?: unknown) =>
    call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });
  // Detection findings arrive as their own OCSF events, uid `<event id>:<detection id>`.
  const eventUids = () => [...receiver.collector.uids].filter((uid) => !uid.includes(":"));
  const drain = async () => {
    for (let round = 0; round < 20; round++) {
      await runOutboxRound(server.database.db, runtime, DEFAULT_OUTBOX_SETTINGS);
    }
  };

  beforeAll(async () => {
    server = await startTestApp();
    runtime = prepareReport(server.database.db, await testRuntime());
    owner = await signUpUser(server.app, "backfill");
    orgId = await createOrg(server.app, owner, `backfill-${Date.now()}`);
    receiver = await startWebhookReceiver({ secret: SECRET });
    await ingest(server.database.db, orgId, history);
    const created = await as("POST", "/integrations", {
      kind: "webhook",
      name: "late",
      target: receiver.url,
      secret: SECRET,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    integrationId = created.json.id as string;
  });
  afterAll(async () => {
    await receiver?.close();
    await server?.close();
  });

  it("receives only events accepted after it exists, by default", async () => {
    await ingest(server.database.db, orgId, later);
    await drain();
    expect(eventUids()).toEqual(later.map((event) => event.id));
  });

  it("receives the stored history of a window once asked, once only", async () => {
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const first = await as("POST", `/integrations/${integrationId}/backfill`, { from });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.json).toEqual({ queued: 12, capped: false });
    await drain();
    const expected = [...history, ...later].map((event) => event.id);
    expect(eventUids().sort()).toEqual(expected.sort());

    const again = await as("POST", `/integrations/${integrationId}/backfill`, { from });
    expect(again.json).toEqual({ queued: 0, capped: false });
  });

  it("refuses a window that is inverted or longer than 31 days, naming it", async () => {
    const now = Date.now();
    const inverted = await as("POST", `/integrations/${integrationId}/backfill`, {
      from: new Date(now).toISOString(),
      to: new Date(now - 1000).toISOString(),
    });
    expect(inverted.status).toBe(400);
    expect(String(inverted.json.detail)).toMatch(/`from` must be before `to`/);
    const long = await as("POST", `/integrations/${integrationId}/backfill`, {
      from: new Date(now - 40 * 86_400_000).toISOString(),
    });
    expect(long.status).toBe(400);
    expect(String(long.json.detail)).toMatch(/at most 31 days/);
  });
});
