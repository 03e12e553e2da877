import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebhookReceiver, type WebhookReceiver } from "../../../test/receivers/index.ts";
import { prepareReport } from "../../src/server/services/integrations/runtime.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";
import { decisionEvent, ingest, testRuntime } from "./harness.ts";

const RECEIVER_SECRET = "whsec_MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

describe("Report routes", () => {
  let server: TestServer;
  let owner: TestUser;
  let orgId: string;
  let receiver: WebhookReceiver;
  const events = Array.from({ length: 12 }, (_, n) => decisionEvent(n));
  const as = (method: string, path: string, body?: unknown) =>
    call(server.app, method, `/api/v1/orgs/${orgId}${path}`, { cookie: owner.cookie, body });

  beforeAll(async () => {
    server = await startTestApp();
    prepareReport(server.database.db, await testRuntime());
    owner = await signUpUser(server.app, "report");
    orgId = await createOrg(server.app, owner, `report-${Date.now()}`);
    receiver = await startWebhookReceiver({ secret: RECEIVER_SECRET });
    await ingest(server.database.db, orgId, events);
  });
  afterAll(async () => {
    await receiver.close();
    await server.close();
  });

  it("lists events newest first with a cursor that pages through all of them", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : "";
      const page = await as("GET", `/events?limit=5${query}`);
      expect(page.status).toBe(200);
      seen.push(...(page.json.items as { id: string }[]).map((item) => item.id));
      cursor = page.json.nextCursor as string | null;
    } while (cursor);
    expect(seen.sort()).toEqual(events.map((e) => e.id).sort());
  });

  it("filters events and shows one with its reasons and OCSF form", async () => {
    const denied = await as("GET", "/events?action=deny&kind=request");
    const expected = events.filter((e) => e.action === "deny" && e.kind === "request");
    expect((denied.json.items as unknown[]).length).toBe(expected.length);
    const one = await as("GET", `/events/${expected[0]?.id}`);
    expect(one.json).toMatchObject({
      reasons: { ruleId: expected[0]?.reasons.ruleId },
      detections: [{ category: "waf" }],
    });
    expect((one.json.ocsf as { class_uid: number }[]).map((e) => e.class_uid)).toEqual([
      4002, 2004,
    ]);
    expect((await as("GET", "/events?srcIp=not-an-ip")).status).toBe(400);
    expect((await as("GET", `/events/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("filters events by destination host (any case, trailing dot) and detection category", async () => {
    const otherOrg = await createOrg(server.app, owner, `report-filters-${Date.now()}`);
    const list = async (query: string) =>
      call(server.app, "GET", `/api/v1/orgs/${otherOrg}/events?${query}`, { cookie: owner.cookie });
    const hosts = ["API.Example.com.", "api.example.com", "other.example.com", "api.example.co"];
    const batch = hosts.map((host, n) => {
      const event = decisionEvent(n);
      return { ...event, dst: { host, port: 443 } };
    });
    await ingest(server.database.db, otherOrg, batch);
    const ids = (page: { json: Record<string, unknown> }) =>
      (page.json.items as { id: string }[]).map((item) => item.id).sort();

    const api = await list("dstHost=api.EXAMPLE.com");
    expect(api.status).toBe(200);
    expect(ids(api)).toEqual([batch[0]?.id, batch[1]?.id].sort());
    expect(ids(await list("dstHost=api.example.com."))).toEqual(ids(api));
    // decisionEvent(0) is the one request with a WAF detection in this batch.
    expect(ids(await list("category=waf"))).toEqual([batch[0]?.id]);
    expect(ids(await list("category=waf&dstHost=other.example.com"))).toEqual([]);
    expect(ids(await list("category=dlp"))).toEqual([]);

    const badHost = await list("dstHost=api.example.com/path");
    expect(badHost.status).toBe(400);
    expect(JSON.stringify(badHost.json)).toContain("dstHost");
    const badCategory = await list("category=%27%3B--");
    expect(badCategory.status).toBe(400);
    expect(JSON.stringify(badCategory.json)).toContain("category");
  });

  it("answers analytics from the rollups: totals match the events stored", async () => {
    const decisions = await as("GET", "/analytics/decisions");
    const buckets = decisions.json.items as { allow: number; deny: number; monitor: number }[];
    const total = buckets.reduce((sum, b) => sum + b.allow + b.deny + b.monitor, 0);
    expect(total).toBe(events.length);
    const rules = await as("GET", "/analytics/rules");
    const hits = (rules.json.items as { hits: number; firstHit: string }[]).reduce(
      (s, r) => s + r.hits,
      0,
    );
    expect(hits).toBe(events.length);
    const detections = await as("GET", "/analytics/detections");
    expect(detections.json.items).toEqual([{ category: "waf", severity: "critical", events: 3 }]);
    const sources = await as("GET", "/analytics/top-sources?limit=3");
    expect((sources.json.items as unknown[]).length).toBe(3);
    const denied = await as("GET", "/analytics/top-sources?limit=100&action=deny");
    const deniedTotal = (denied.json.items as { events: number }[]).reduce(
      (s, r) => s + r.events,
      0,
    );
    expect(deniedTotal).toBe(events.filter((e) => e.action === "deny").length);
    const allowOnly = await as("GET", "/analytics/top-destinations?action=allow");
    expect(allowOnly.status).toBe(400);
    expect(JSON.stringify(allowOnly.json)).toContain("action");
    expect((await as("GET", "/analytics/enforcers")).status).toBe(200);
    expect(
      (await as("GET", "/analytics/decisions?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z"))
        .status,
    ).toBe(400);
  });

  it("creates a webhook integration, shows its generated secret once, and never again", async () => {
    const created = await as("POST", "/integrations", {
      kind: "webhook",
      name: "siem",
      target: receiver.url,
    });
    expect(created.status).toBe(201);
    expect(created.json.secret).toMatch(/^whsec_/);
    const read = await as("GET", `/integrations/${created.json.id}`);
    expect(read.json).toMatchObject({ hasSecret: true, kind: "webhook" });
    expect(read.json).not.toHaveProperty("secret");
    const updated = await as("PATCH", `/integrations/${created.json.id}`, {
      classes: [2004],
      minSeverity: 4,
    });
    expect(updated.json).toMatchObject({ classes: [2004], minSeverity: 4 });
    expect((await as("GET", `/integrations/${created.json.id}/attempts`)).status).toBe(200);
    expect((await as("POST", `/integrations/${created.json.id}/replay`, {})).json).toEqual({
      replayed: 0,
    });
    expect((await as("DELETE", `/integrations/${created.json.id}`)).status).toBe(204);
  });

  it("sends a test event now and answers what the receiver said, signed like a delivery", async () => {
    const created = await as("POST", "/integrations", {
      kind: "webhook",
      name: "test-target",
      target: receiver.url,
      secret: RECEIVER_SECRET,
    });
    const sent = await as("POST", `/integrations/${created.json.id}/test`, {});
    expect(sent.status, JSON.stringify(sent.body)).toBe(200);
    expect(sent.json).toMatchObject({
      ok: true,
      outcome: "delivered",
      statusCode: 204,
      error: null,
      eventUid: expect.stringMatching(/^test_/),
    });
    // The receiver verified the signature before keeping the event.
    const event = receiver.collector.byUid.get(String(sent.json.eventUid));
    expect(event).toMatchObject({ class_uid: 6003, api: { operation: "integration.test" } });

    const log = await as("GET", `/integrations/${created.json.id}/attempts`);
    expect(log.json.items).toEqual([
      expect.objectContaining({ outcome: "delivered", statusCode: 204, items: 1 }),
    ]);
  });

  it("reports the receiver's refusal of a test event as an answer, not an error", async () => {
    // A generated secret the receiver does not know: it answers 401.
    const created = await as("POST", "/integrations", {
      kind: "webhook",
      name: "wrong-secret",
      target: receiver.url,
    });
    const sent = await as("POST", `/integrations/${created.json.id}/test`, {});
    expect({ status: sent.status, body: sent.json }).toEqual({
      status: 200,
      body: expect.objectContaining({
        ok: false,
        outcome: "failed",
        statusCode: 401,
        error: "HTTP 401",
      }),
    });
    expect(receiver.collector.rejected).toContain("signature does not verify");
    const log = await as("GET", `/integrations/${created.json.id}/attempts`);
    expect(log.json.items).toEqual([
      expect.objectContaining({ outcome: "failed", statusCode: 401 }),
    ]);
  });

  it("answers 404 testing an integration of another organisation, and 400 on a body", async () => {
    const created = await as("POST", "/integrations", {
      kind: "webhook",
      name: "other-org",
      target: receiver.url,
    });
    const stranger = await signUpUser(server.app, "report-stranger");
    const strangerOrg = await createOrg(server.app, stranger, `stranger-${Date.now()}`);
    const path = `/api/v1/orgs/${strangerOrg}/integrations/${created.json.id}/test`;
    const foreign = await call(server.app, "POST", path, { cookie: stranger.cookie, body: {} });
    expect(foreign.status).toBe(404);
    const withBody = await as("POST", `/integrations/${created.json.id}/test`, { events: 5 });
    expect(withBody.status).toBe(400);
    expect(JSON.stringify(withBody.json)).toMatch(/events/);
  });

  it("refuses targets the SSRF guard blocks, and cleartext outside the allowlist", async () => {
    const refuse = async (target: string, kind = "webhook") => {
      const result = await as("POST", "/integrations", { kind, name: "bad", target });
      expect({ target, status: result.status }).toEqual({ target, status: 400 });
      return result.json.detail as string;
    };
    expect(await refuse("http://169.254.169.254/latest/meta-data/")).toMatch(/metadata/);
    expect(await refuse("https://metadata.test/hook")).toMatch(/metadata/);
    expect(await refuse("https://[::ffff:a9fe:a9fe]/hook")).toMatch(/metadata/);
    expect(await refuse("https://10.0.0.1/hook")).toMatch(/non-global/);
    expect(await refuse("tcp://syslog.unknown.test:514", "syslog")).toMatch(/resolver/);
    expect(await refuse("udp://127.0.0.1:514", "syslog")).toMatch(/tcp:\/\//);
  });

  it("exports the audit log as OCSF API Activity", async () => {
    const exported = await as("GET", "/audit-log/ocsf");
    const items = exported.json.items as { class_uid: number; api: { operation: string } }[];
    expect(items.map((e) => e.api.operation)).toContain("integration.create");
    expect(items.every((e) => e.class_uid === 6003)).toBe(true);
  });
});
