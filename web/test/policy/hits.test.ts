import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareReport } from "../../src/server/services/integrations/runtime.ts";
import { decisionEvent, ingest, testRuntime } from "../report/harness.ts";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { createOrg, signUpUser, type TestUser } from "../support/world.ts";

interface HitRow {
  ruleId: string;
  action: string;
  hits: number;
  firstSeen: string | null;
  lastSeen: string | null;
}

describe("GET /policy/hits", () => {
  let server: TestServer;
  let owner: TestUser;
  let orgId: string;
  const events = Array.from({ length: 20 }, (_, n) => decisionEvent(n));
  const hits = (org: string, user = owner, query = "") =>
    call(server.app, "GET", `/api/v1/orgs/${org}/policy/hits${query}`, { cookie: user.cookie });

  beforeAll(async () => {
    server = await startTestApp();
    prepareReport(server.database.db, await testRuntime());
    owner = await signUpUser(server.app, "hits");
    orgId = await createOrg(server.app, owner, `hits-${Date.now()}`);
    await ingest(server.database.db, orgId, events);
  });
  afterAll(async () => server.close());

  it("counts each rule's decisions by action with the first and the last hit", async () => {
    const answer = await hits(orgId);
    expect(answer.status).toBe(200);
    const rows = answer.json.items as HitRow[];

    const expected = new Map<string, { hits: number; first: string; last: string }>();
    for (const e of events) {
      const key = `${e.reasons.ruleId}/${e.action}`;
      const seen = expected.get(key);
      expected.set(key, {
        hits: (seen?.hits ?? 0) + 1,
        first: seen && seen.first < e.time ? seen.first : e.time,
        last: seen && seen.last > e.time ? seen.last : e.time,
      });
    }
    const got = new Map(
      rows.map((r) => [
        `${r.ruleId}/${r.action}`,
        { hits: r.hits, first: r.firstSeen, last: r.lastSeen },
      ]),
    );
    expect(got).toEqual(expected);
  });

  it("counts only hits since a time, and names a bad `since`", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const later = await hits(orgId, owner, `?since=${encodeURIComponent(future)}`);
    expect(later.json).toEqual({ items: [] });

    const bad = await hits(orgId, owner, "?since=yesterday");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain("since");
  });

  it("shows another organisation's member none of these hits", async () => {
    const stranger = await signUpUser(server.app, "hits-stranger");
    expect((await hits(orgId, stranger)).status).toBe(404);
    const own = await createOrg(server.app, stranger, `hits-own-${Date.now()}`);
    expect((await hits(own, stranger)).json).toEqual({ items: [] });
  });
});
