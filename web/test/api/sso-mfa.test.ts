import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { call } from "../support/client.ts";
import { enrolTotp, injectClock, type TestClock, verifyChallenge } from "../support/mfa.ts";
import { type SsoWorld, ssoOrganization, ssoSignIn, startSsoWorld } from "../support/sso.ts";
import { addMember, signUpUser } from "../support/world.ts";

// SSO proves the first factor only: a member with TOTP still owes the code after the provider
// signed them in, and the session that the code finally opens remembers it came through SSO.
let world: SsoWorld;
let clock: TestClock;
let slug: string;
let orgId: string;

beforeAll(async () => {
  world = await startSsoWorld();
  clock = injectClock(world.server);
  ({ slug, orgId } = await ssoOrganization(world, "mfa-sso", "example.test"));
});
afterAll(async () => world?.close());

describe("SSO and a second factor", () => {
  it("asks a member with TOTP for the code before any session exists", async () => {
    const member = await signUpUser(world.server.app, "mfa-member");
    await addMember(world.server, orgId, member, "editor");
    const { authenticator } = await enrolTotp(world.server, member, clock);

    world.op.signInAs({ sub: "op-mfa-member", email: member.email, name: "M" });
    const result = await ssoSignIn(world, `org=${slug}&returnTo=/orgs`);
    expect({ status: result.status, location: result.location }).toEqual({
      status: 302,
      location: "/sign-in/mfa?returnTo=%2Forgs",
    });
    expect(result.cookies.has("rf_session")).toBe(false);
    const challenge = result.cookies.get("rf_mfa_challenge") ?? "";
    expect(challenge).not.toBe("");

    clock.advance(30_000);
    const { cookie } = await verifyChallenge(world.server, challenge, {
      code: authenticator.codeAt(clock.now()),
    });
    const sessions = await call(world.server.app, "GET", "/api/v1/me/sessions", {
      cookie: cookie ?? "",
    });
    expect(sessions.json.items).toContainEqual(
      expect.objectContaining({ current: true, method: "sso" }),
    );
  });
});
