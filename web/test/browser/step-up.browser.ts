import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { goTo, signInOwner } from "./session.ts";
import {
  connectIdentityProvider,
  openConsoleWithSso,
  type SsoConsole,
  signInWithSso,
} from "./sso.ts";
import type { WatchedPage } from "./watched-page.ts";

// A sensitive action by a person whom SSO created (so without a password or a second factor)
// once their session is older than the step-up window: the console asks them to confirm at
// their identity provider, and after the round trip the same action succeeds. The window is
// the shortest the control plane accepts (one minute), so the test waits it out once.
let sso: SsoConsole | undefined;
const DOMAIN = "stepup-sso.test";
const CLIENT = { clientId: "ringfence-console", clientSecret: "op-secret-for-step-up-tests" };
const ADMIN = {
  sub: "op-ada",
  email: `ada@${DOMAIN}`,
  name: "Ada Admin",
  groups: ["rf-admins"],
};
const STEP_UP_MS = 60_000;
let watched: WatchedPage;
let page: Page;
let orgPath = "";

beforeAll(async () => {
  sso = await openConsoleWithSso(CLIENT, { RINGFENCE_STEP_UP_MINUTES: "1" });
  watched = sso.session.watched;
  page = sso.session.page;
}, 900_000);

afterAll(async () => sso?.close());

/** Fills the API key form and submits it. */
async function createKey(name: string): Promise<void> {
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create key" }).click();
}

describe("step-up at the identity provider for an SSO-only member", () => {
  it("connects the provider with a group that makes admins", async () => {
    if (!sso) throw new Error("the console with its identity provider did not start");
    orgPath = await signInOwner(sso.session);
    const { zone, op } = sso;
    const setup = { zone, op, domain: DOMAIN, client: CLIENT, groupRoles: "rf-admins=admin" };
    await connectIdentityProvider(page, setup);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
  });

  it("signs the admin in through the provider, just in time, as an admin", async () => {
    if (!sso) throw new Error("the identity provider did not start");
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
    await watched.shot("step-up-sso");

    await confirm.click();
    await page.waitForURL((url) => url.pathname === `${orgPath}/api-keys`);
    await createKey("after-step-up");
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);
    await page.getByRole("cell", { name: "after-step-up" }).waitFor();
    await watched.shot("step-up-done");
  }, 180_000);

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
