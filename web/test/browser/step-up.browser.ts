import { Secret, TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD } from "./harness.ts";
import { forThisSuite, goTo, signInOwner } from "./session.ts";
import { connectIdentityProvider, openConsoleWithSso, signInWithSso } from "./sso.ts";

// A sensitive action by a person whom SSO created (so without a password or a second factor)
// once their session is older than the step-up window: the console asks them to confirm at
// their identity provider, and after the round trip the same action succeeds. Then the owner,
// who signed in with a password, is asked for the password alone. The window is
// the shortest the control plane accepts (one minute), so the test waits it out once.
const DOMAIN = "stepup-sso.test";
const CLIENT = { clientId: "ringfence-console", clientSecret: "op-secret-for-step-up-tests" };
const ADMIN = {
  sub: "op-ada",
  email: `ada@${DOMAIN}`,
  name: "Ada Admin",
  groups: ["rf-admins"],
};
const STEP_UP_MS = 60_000;
let orgPath = "";

const sso = await forThisSuite(openConsoleWithSso(CLIENT, { RINGFENCE_STEP_UP_MINUTES: "1" }));
const { page, watched } = sso.session;

/** Fills the API key form and submits it. */
async function createKey(name: string): Promise<void> {
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
}

describe("step-up at the identity provider for an SSO-only member", () => {
  it("connects the provider with a group that makes admins", async () => {
    orgPath = await signInOwner(sso.session);
    const { zone, op } = sso;
    const setup = { zone, op, domain: DOMAIN, client: CLIENT, groupRoles: "rf-admins=admin" };
    await connectIdentityProvider(page, setup);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  });

  it("signs the admin in through the provider, just in time, as an admin", async () => {
    await signInWithSso(page, sso.op, ADMIN);
    await page.waitForURL((url) => url.pathname === orgPath);
    const switcher = page.getByLabel("Organisation");
    expect(await switcher.locator("option:checked").textContent()).toBe("Acme Corp (admin)");
  });

  it("asks to confirm at the provider once the session is past the window", async () => {
    await page.waitForTimeout(STEP_UP_MS + 2_000);
    await goTo(page, "API keys");
    watched.expectFailure("/api-keys", 401);
    await createKey("after-step-up");
    const alert = page.getByRole("main").getByRole("alert");
    await alert.getByText("step_up_required").waitFor();
    const confirm = alert.getByRole("button", { name: "Confirm with your identity provider" });
    await confirm.waitFor();

    // Plain words for the person (the routes are in the problem's `actions`), and no password
    // field for someone who has no password.
    const said = (await alert.textContent()) ?? "";
    expect(said).toContain("Confirm it is you with a code from your authenticator");
    expect(said).not.toContain("/api/v1");
    expect(await alert.getByLabel("Password").count()).toBe(0);
    await watched.shot("step-up-sso");

    await confirm.click();
    await page.waitForURL((url) => url.pathname === `${orgPath}/api-keys`);
    await createKey("after-step-up");
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);
    await page.getByRole("cell", { name: "after-step-up" }).waitFor();
    await watched.shot("step-up-done");
  }, 180_000);

  it("asks a person with a password for it, and offers no provider to a password session", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await signInOwner(sso.session);
    await page.waitForTimeout(STEP_UP_MS + 2_000);
    await goTo(page, "API keys");
    watched.expectFailure("/api-keys", 401);
    await createKey("owner-after-step-up");
    const alert = page.getByRole("main").getByRole("alert");
    await alert.getByLabel("Password").waitFor();
    const provider = alert.getByRole("button", { name: "Confirm with your identity provider" });
    expect(await provider.count()).toBe(0);
    await watched.shot("step-up-password");

    await alert.getByLabel("Password").fill(DEMO_PASSWORD);
    const [confirmed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/step-up")),
      alert.getByRole("button", { name: "Confirm", exact: true }).click(),
    ]);
    expect(confirmed.status()).toBe(200);
    await createKey("owner-after-step-up");
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);
    await page.getByRole("cell", { name: "owner-after-step-up" }).waitFor();
  }, 180_000);

  it("asks a person with a second factor for a code, which Enter submits", async () => {
    await page.goto(new URL("/account/security", page.url()).href);
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = Secret.fromBase32((await page.getByTestId("totp-secret").textContent()) ?? "");
    await page.getByLabel("First code from the app").fill(TOTP.generate({ secret }));
    await page.getByRole("button", { name: "Turn on" }).click();
    await page.locator('[data-testid="mfa-state"]', { hasText: /^on$/ }).waitFor();

    // Past the window (and so in a later time step than the enrolment's code, which is spent).
    await page.waitForTimeout(STEP_UP_MS + 2_000);
    await page.goto(new URL(`${orgPath}/api-keys`, page.url()).href);
    watched.expectFailure("/api-keys", 401);
    await createKey("owner-after-code");
    const alert = page.getByRole("main").getByRole("alert");
    const field = alert.getByLabel("Authentication code");
    await field.waitFor();
    expect(await alert.getByLabel("Password").count()).toBe(0);
    await watched.shot("step-up-code");

    // The prompt sits inside the key form: Enter in the code field confirms the step-up and
    // must not submit the key form around it.
    await field.fill(TOTP.generate({ secret }));
    const [confirmed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith("/api/v1/auth/step-up")),
      field.press("Enter"),
    ]);
    expect(confirmed.status()).toBe(200);
    await alert.getByText(/^Confirmed until/).waitFor();
    expect(await page.getByRole("cell", { name: "owner-after-code" }).count()).toBe(0);
    await createKey("owner-after-code");
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);
    await page.getByRole("cell", { name: "owner-after-code" }).waitFor();
  }, 180_000);

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
