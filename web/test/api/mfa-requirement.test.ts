import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestServer } from "../support/app.ts";
import { call } from "../support/client.ts";
import { enrolTotp, injectClock, PASSWORD, type TestClock } from "../support/mfa.ts";
import { addMember, createOrg, signUpUser, type TestUser } from "../support/world.ts";

// An organisation that requires MFA lets none of its members do anything in it until they
// have a second factor; enrolment itself and the user's own routes stay open.
let server: TestServer;
let clock: TestClock;

beforeAll(async () => {
  server = await startTestApp();
  clock = injectClock(server);
});
afterAll(async () => server?.close());

function setRequired(owner: TestUser, orgId: string, required: boolean) {
  return call(server.app, "PUT", `/api/v1/orgs/${orgId}/mfa-requirement`, {
    cookie: owner.cookie,
    body: { required },
  });
}

describe("an organisation requiring MFA", () => {
  it("cannot be turned on by an owner without a second factor (409)", async () => {
    const owner = await signUpUser(server.app, "bare-owner");
    const orgId = await createOrg(server.app, owner, `bare-${Date.now()}`);
    const refused = await setRequired(owner, orgId, true);
    expect({ status: refused.status, code: refused.json.code }).toEqual({
      status: 409,
      code: "conflict",
    });
    const state = await call(server.app, "GET", `/api/v1/orgs/${orgId}/mfa-requirement`, {
      cookie: owner.cookie,
    });
    expect(state.json).toEqual({ required: false, membersWithoutMfa: 1 });
  });

  it("sends members without MFA to enrolment, and lets them in once enrolled", async () => {
    const owner = await signUpUser(server.app, "owner");
    await enrolTotp(server, owner, clock);
    const orgId = await createOrg(server.app, owner, `strict-${Date.now()}`);
    const member = await signUpUser(server.app, "member");
    await addMember(server, orgId, member, "editor");

    const on = await setRequired(owner, orgId, true);
    expect(on.json).toEqual({ required: true, membersWithoutMfa: 1 });

    const inOrg = () =>
      call(server.app, "GET", `/api/v1/orgs/${orgId}/members`, { cookie: member.cookie });
    const blocked = await inOrg();
    expect({ status: blocked.status, code: blocked.json.code }).toEqual({
      status: 403,
      code: "mfa_enrollment_required",
    });
    const write = await call(server.app, "POST", `/api/v1/orgs/${orgId}/objects`, {
      cookie: member.cookie,
      body: {},
    });
    expect(write.json.code).toBe("mfa_enrollment_required");
    expect((await call(server.app, "GET", "/api/v1/me", { cookie: member.cookie })).status).toBe(
      200,
    );

    await enrolTotp(server, member, clock);
    expect((await inOrg()).status).toBe(200);
    expect((await inOrg()).json).not.toHaveProperty("code");
  });

  it("leaves the organisation's API keys working: machine clients have no factor to enrol", async () => {
    const owner = await signUpUser(server.app, "keys-owner");
    await enrolTotp(server, owner, clock);
    const orgId = await createOrg(server.app, owner, `keys-${Date.now()}`);
    const key = await call(server.app, "POST", `/api/v1/orgs/${orgId}/api-keys`, {
      cookie: owner.cookie,
      body: { name: "ci", scope: "read" },
    });
    await setRequired(owner, orgId, true);

    const byKey = await call(server.app, "GET", `/api/v1/orgs/${orgId}/mfa-requirement`, {
      bearer: key.json.secret as string,
    });
    expect({ status: byKey.status, body: byKey.json }).toEqual({
      status: 200,
      body: { required: true, membersWithoutMfa: 0 },
    });
  });

  it("keeps its members from disabling their second factor, naming the organisation", async () => {
    const owner = await signUpUser(server.app, "keeper");
    const { authenticator } = await enrolTotp(server, owner, clock);
    const slug = `keeper-${Date.now()}`;
    const orgId = await createOrg(server.app, owner, slug);
    await setRequired(owner, orgId, true);

    clock.advance(30_000);
    const disable = await call(server.app, "POST", "/api/v1/me/mfa/totp/disable", {
      cookie: owner.cookie,
      body: { password: PASSWORD, code: authenticator.codeAt(clock.now()) },
    });
    expect({ status: disable.status, detail: disable.json.detail }).toEqual({
      status: 409,
      detail: `${slug.toUpperCase()} requires MFA of its members; keep it.`,
    });
    const status = await call(server.app, "GET", "/api/v1/me/mfa", { cookie: owner.cookie });
    expect(status.json.totp).toBe("active");
  });

  it("records the change in the organisation's audit log", async () => {
    const owner = await signUpUser(server.app, "audited");
    await enrolTotp(server, owner, clock);
    const orgId = await createOrg(server.app, owner, `audited-${Date.now()}`);
    await setRequired(owner, orgId, true);
    await setRequired(owner, orgId, false);

    const log = await call(server.app, "GET", `/api/v1/orgs/${orgId}/audit-log`, {
      cookie: owner.cookie,
    });
    const items = log.json.items as { action: string; details: unknown }[];
    const changes = items.filter((item) => item.action === "org.mfa_requirement.update");
    expect(changes.map((item) => item.details)).toEqual(
      expect.arrayContaining([{ required: true }, { required: false }]),
    );
  });
});
