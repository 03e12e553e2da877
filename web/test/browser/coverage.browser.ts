import { join } from "node:path";
import { EnforcerClient } from "@ringfence/engine/control";
import { describe, expect, it } from "vitest";
import { DEMO_PASSWORD, SCREENSHOT_DIR } from "./harness.ts";
import {
  forThisSuite,
  goTo,
  openConsole,
  registrationToken,
  signInOwner,
  withRequestsHeld,
} from "./session.ts";

// The flows of the console issue that the other suites leave out: keyboard-only operation,
// inventory filters by provider, kind and account, the objects containing an asset, an object
// saved after its diff, enforcer status against the latest bundle, IPS signatures, an error's
// request id, and members joining, changing role and leaving. All on the seeded demo estate.
let orgPath = "";
let client: EnforcerClient | undefined;
const MEMBER = { name: "Kim Member", email: "kim@example.test", password: "kim-password-long" };

const session = await forThisSuite(openConsole());
const { page, watched } = session;

const go = (section: string) => goTo(page, section);

/** The label (or text) of the focused element, as a person using a screen reader hears it. */
function focusedName(): Promise<string> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLInputElement | null;
    if (!element) return "";
    const label = element.labels?.[0]?.textContent ?? element.getAttribute("aria-label");
    return (label ?? element.textContent ?? "").trim();
  });
}

/** Presses Tab until the focused element's name matches `name`; fails after 80 presses. */
async function tabTo(name: RegExp): Promise<void> {
  const seen: string[] = [];
  for (let i = 0; i < 80; i++) {
    await page.keyboard.press("Tab");
    const focused = await focusedName();
    if (name.test(focused)) return;
    seen.push(focused);
  }
  throw new Error(`Tab never reached ${name}; focus went through: ${seen.join(" | ")}`);
}

/** The inventory's count line once it reads `expected`. */
async function assetCount(expected: RegExp): Promise<string> {
  const count = page.getByTestId("asset-count");
  await count.filter({ hasText: expected }).waitFor();
  return (await count.textContent()) ?? "";
}

/** The names in the inventory table, in order. */
const assetNames = () => page.locator("tbody tr td:first-child").allTextContents();

/** Publishes the draft from the Policy page and waits for the bundle `version` to be listed. */
async function publish(version: number): Promise<void> {
  await go("Policy");
  await page.getByRole("button", { name: "Publish the draft" }).click();
  await page
    .getByRole("cell", { name: String(version), exact: true })
    .first()
    .waitFor();
}

/** The enforcer's row on a freshly loaded Enforcers page once its text matches `pattern`. */
async function enforcerRow(name: string, pattern: RegExp) {
  await go("Enforcers");
  await page.waitForURL(/\/enforcers$/);
  // Enforcers report to the API, not through this page, so its list is loaded afresh.
  await page.reload();
  const row = page.getByRole("row").filter({ hasText: name }).filter({ hasText: pattern });
  await row.waitFor();
  return (await row.textContent()) ?? "";
}

describe("the console flows the other suites leave out", () => {
  it("signs in and creates and revokes an API key with the keyboard alone", async () => {
    await page.goto(session.url("/sign-in"));
    await tabTo(/^Email$/);
    await page.keyboard.type("demo@ringfence.local");
    await tabTo(/^Password/);
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/orgs\/[^/]+$/);
    orgPath = new URL(page.url()).pathname;

    await tabTo(/^API keys$/);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/api-keys$/);
    await tabTo(/^Name$/);
    await page.keyboard.type("keyboard-only");
    await tabTo(/^Scope$/);
    // A focused closed select takes the option whose label starts with what is typed.
    await page.keyboard.type("write");
    expect(await page.getByLabel("Scope").inputValue()).toBe("write");
    await tabTo(/^Create key$/);
    await page.keyboard.press("Space");
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);

    const row = page.getByRole("row").filter({ hasText: "keyboard-only" });
    await row.waitFor();
    await tabTo(/^Revoke$/);
    await page.keyboard.press("Enter");
    // The question takes the focus to its confirm button: Enter again revokes.
    await row.getByRole("button", { name: "Yes, revoke" }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Yes, revoke");
    await page.keyboard.press("Enter");
    await row.getByText("revoked").waitFor();
    await watched.shot("api-keys-keyboard");
  });

  it("filters the inventory by provider, kind and account", async () => {
    await go("Inventory");
    const total = /of (\d+) assets/.exec(await assetCount(/of \d+ assets/))?.[1] ?? "";
    await page.getByLabel("Provider").selectOption("azure");
    await assetCount(new RegExp(`^2 of ${total} assets$`));
    expect((await assetNames()).sort()).toEqual(["lab-a1", "patch-agent-b1"]);

    await page.getByLabel("Provider").selectOption("aws");
    await page.getByLabel("Kind").selectOption("bucket");
    await assetCount(new RegExp(`^2 of ${total} assets$`));
    expect(await page.locator("tbody tr td:nth-child(2)").allTextContents()).toEqual([
      "bucket",
      "bucket",
    ]);

    await page.getByLabel("Provider").selectOption("");
    await page.getByLabel("Kind").selectOption("instance");
    await page.getByLabel("Account").selectOption({ label: "acme-ops (demo)" });
    await assetCount(new RegExp(`^2 of ${total} assets$`));
    expect((await assetNames()).sort()).toEqual(["lab-a1", "patch-agent-b1"]);
    await page.getByLabel("Account").selectOption({ label: "acme-production (demo)" });
    await assetCount(new RegExp(`^5 of ${total} assets$`));
    expect(await assetNames()).toContain("build-centos-1");
    await watched.shot("inventory-by-account");
  });

  it("lists the objects and groups that contain an asset and opens one", async () => {
    await page.getByRole("link", { name: "build-centos-1" }).click();
    await page.getByRole("heading", { name: "build-centos-1" }).waitFor();
    const card = page.locator("section").filter({ hasText: "Address objects containing it" });
    // centos7 selects it by its OS tag; the group patch-clients includes centos7.
    await card.getByRole("link", { name: "patch-clients" }).waitFor();
    expect((await card.getByRole("link").allTextContents()).sort()).toEqual([
      "centos7",
      "patch-clients",
    ]);
    await watched.shot("asset-containing-objects");

    await card.getByRole("link", { name: "centos7" }).click();
    await page.getByRole("heading", { name: "centos7", exact: true }).waitFor();
    await expect(page.getByTestId("preview-count").textContent()).resolves.toMatch(
      /^2 of \d+ assets match$/,
    );
    await watched.shot("object");
  });

  it("shows an enforcer current once it reports the latest bundle", async () => {
    await publish(1);
    const token = await registrationToken(page, "edge-gw-a");
    client = new EnforcerClient({ baseUrl: session.origin, allowInsecureLoopback: true });
    await client.register(token, { kind: "gateway", softwareVersion: "1.4.0" });
    await client.reportStatus({ version: 1, softwareVersion: "1.4.0" });
    expect(await enforcerRow("edge-gw-a", /current/)).toContain("v1 / v1");
  });

  it("saves an object after showing the assets its change removes", async () => {
    await page.goto(session.url(`${orgPath}/objects/centos7`));
    await page.getByLabel("Selector").fill('tag.OS == "CentOS 7.x" and tag.Env == "prod"');
    const diff = page.getByTestId("membership-diff");
    await diff.getByText("Removed by this change (1)").waitFor();
    expect(await diff.textContent()).toMatch(/− build-centos-2 · aws:\d{12}:us-east-1:instance\//);
    await watched.shot("object-diff");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved to the draft.").waitFor();

    await page.reload();
    expect(await page.getByLabel("Selector").inputValue()).toBe(
      'tag.OS == "CentOS 7.x" and tag.Env == "prod"',
    );
    await go("Inventory");
    await page.getByRole("link", { name: "build-centos-2" }).click();
    await page.getByText("No dynamic address object or group takes in this asset.").waitFor();
  });

  it("shows drift when a newer bundle is published, then a revoked enforcer", async () => {
    await publish(2);
    expect(await enforcerRow("edge-gw-a", /drift/)).toContain("v1 / v2");
    await watched.shot("enforcers-drift");

    const row = page.getByRole("row").filter({ hasText: "edge-gw-a" });
    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByRole("button", { name: "Yes, revoke" }).click();
    await row.getByText("revoked").waitFor();
    expect(await row.getByText("drift").count()).toBe(0);
  });

  it("adds an IPS signature and shows a refusal with the response's request id", async () => {
    await go("Inspection profiles");
    await page.getByLabel("Kind").selectOption("ips");
    await page.getByRole("button", { name: "New inspection profile" }).click();
    const signature = {
      id: "rf-9000001",
      name: "JNDI lookup",
      contents: [{ match: "jndi:ldap:" }],
    };
    const doc = (extra: object) =>
      JSON.stringify({ id: "edge-ips", kind: "ips", signatures: [{ ...signature, ...extra }] });
    await page.getByLabel("Document (JSON)").fill(doc({}));

    watched.expectFailure("/profiles", 400);
    const [answer] = await Promise.all([
      page.waitForResponse((r) => r.url().includes("/profiles") && r.status() === 400),
      page.getByRole("button", { name: "Save inspection profile" }).click(),
    ]);
    const problem = (await answer.json()) as { requestId?: string };
    const alert = page.getByRole("main").getByRole("alert");
    expect(await alert.textContent()).toMatch(/buffer/);
    const shown = await page.getByTestId("request-id").textContent();
    expect({ shown, header: answer.headers()["x-request-id"] }).toEqual({
      shown: problem.requestId,
      header: problem.requestId,
    });
    await watched.shot("profile-ips-refused");

    await page.getByLabel("Document (JSON)").fill(doc({ buffer: "uri", severity: "critical" }));
    await page.getByRole("button", { name: "Save inspection profile" }).click();
    const row = page.getByRole("row").filter({ hasText: "edge-ips" });
    await row.getByText("built-in signatures + 1 own, 0 suppressed").waitFor();
    await watched.shot("profiles-ips");
  });

  it("turns a built-in IPS family off and suppresses a signature, naming a bad id", async () => {
    await page.getByRole("button", { name: "Edit edge-ips" }).click();
    const families = page.getByRole("group", { name: "Built-in signature families" });
    await families.getByRole("checkbox", { name: /^log4shell/ }).uncheck();
    const suppressions = page.getByLabel(/^Suppressions/);
    expect(await suppressions.inputValue()).toBe("ips-log4shell\nips-log4shell-uri");

    // A typo shows under the field at once, and the server refuses it with the id too.
    await suppressions.fill("ips-log4shell\nips-log4shell-uri\nrf-900001 10.0.0.0/8");
    const main = page.getByRole("main");
    const local = 'Line 3: no signature has the id "rf-900001".';
    await main.getByRole("alert").filter({ hasText: local }).waitFor();
    watched.expectFailure("/profiles", 400);
    await page.getByRole("button", { name: "Save inspection profile" }).click();
    await main.getByRole("alert").filter({ hasText: "suppressions.2.signature" }).waitFor();
    await watched.shot("profile-ips-suppression-refused");

    await suppressions.fill("ips-log4shell\nips-log4shell-uri\nrf-9000001 10.0.0.0/8");
    expect(await main.getByRole("alert").filter({ hasText: local }).count()).toBe(0);
    expect(await families.getByRole("checkbox", { name: /^log4shell/ }).isChecked()).toBe(false);
    expect(await families.getByRole("checkbox", { name: /^shellshock/ }).isChecked()).toBe(true);
    const doc = JSON.parse(await page.getByLabel("Document (JSON)").inputValue()) as object;
    expect(doc).toMatchObject({
      builtin: true,
      suppressions: [
        { signature: "ips-log4shell" },
        { signature: "ips-log4shell-uri" },
        { signature: "rf-9000001", source: "10.0.0.0/8" },
      ],
    });
    await watched.shot("profile-ips-controls");
    await page.getByRole("button", { name: "Save inspection profile" }).click();
    const row = page.getByRole("row").filter({ hasText: "edge-ips" });
    await row.getByText("built-in signatures + 1 own, 3 suppressed").waitFor();
  });

  it("lets an invited person join, then changes their role and removes them", async () => {
    await go("Members");
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Role", { exact: true }).selectOption("viewer");
    await page.getByRole("button", { name: "Invite" }).click();
    const token = (await page.getByTestId("shown-once").textContent()) ?? "";
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);

    await page.goto(session.url("/sign-up"));
    await page.getByLabel("Name").fill(MEMBER.name);
    await page.getByLabel("Email").fill(MEMBER.email);
    await page.getByLabel("Password").fill(MEMBER.password);
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(/\/orgs\/new$/);
    await page.getByLabel("Invitation token").fill(token);
    await watched.shot("org-join");
    await page.getByRole("button", { name: "Join" }).click();
    await page.waitForURL((url) => url.pathname === orgPath);
    const switcher = page.getByLabel("Organisation");
    expect(await switcher.locator("option:checked").textContent()).toBe("Acme Corp (viewer)");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);

    expect(await signInOwner(session)).toBe(orgPath);
    await go("Members");
    const role = page.getByLabel(`Role of ${MEMBER.email}`);
    const [changed] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === "PATCH" && r.ok()),
      role.selectOption("editor"),
    ]);
    await page.reload();
    await expect(role.inputValue()).resolves.toBe("editor");
    await watched.shot("members-role-changed");

    const row = page.getByRole("row").filter({ has: role });
    await row.getByRole("button", { name: "Remove" }).click();
    // Escape cancels the question; the member stays until it is confirmed.
    await page.keyboard.press("Escape");
    await row.getByRole("button", { name: "Remove" }).click();
    await row.getByRole("button", { name: "Yes, remove" }).click();
    await role.waitFor({ state: "detached" });
    await page.reload();
    await page.getByRole("heading", { name: "Members" }).first().waitFor();
    expect(await page.getByLabel(`Role of ${MEMBER.email}`).count()).toBe(0);

    // The audit log has each step, the role change under the request id its response carried.
    await go("Audit log");
    const rows = page.locator("tbody tr");
    await rows.filter({ hasText: "member.remove" }).waitFor();
    const update = await rows.filter({ hasText: "member.update" }).first().textContent();
    expect(update).toContain(changed.headers()["x-request-id"] ?? "no request id header");
    // The actor is named by email while a member; the person who left keeps their user id.
    expect(update).toContain("demo@ringfence.local");
    const accepted = rows.filter({ hasText: "invitation.accept" });
    expect(await accepted.locator("td").nth(1).textContent()).toMatch(/^user:/);
    await watched.shot("audit-members");
  });

  it("lists the owner's sessions with this browser marked", async () => {
    await page.goto(session.url("/account/sessions"));
    const current = page.getByRole("row").filter({ hasText: "this browser" });
    await current.waitFor();
    expect(await current.getByRole("cell", { name: "password" }).count()).toBe(1);
    await watched.shot("account-sessions");
  });

  it("shows a loading placeholder while the inventory is on its way", async () => {
    await page.goto(session.url(`${orgPath}/inventory`));
    const count = page.getByTestId("asset-count");
    await count.waitFor();
    const loading = async () => {
      await page.reload();
      await page.getByRole("status").filter({ hasText: "Loading the inventory" }).waitFor();
      const path = join(SCREENSHOT_DIR, "inventory-loading.png");
      await page.screenshot({ path, fullPage: true });
    };
    await withRequestsHeld(page, "**/api/v1/orgs/*/inventory**", loading, () => count.waitFor());
  });

  it("fits every section on a phone in the dark theme without scrolling sideways", async () => {
    const links = page.getByRole("navigation", { name: "Sections" }).getByRole("link");
    const paths = await links.evaluateAll((all) => all.map((a) => a.getAttribute("href") ?? ""));
    expect(paths.length).toBeGreaterThan(10);
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    await page.setViewportSize({ width: 390, height: 844 });

    const sideways: string[] = [];
    for (const path of paths) {
      await page.goto(session.url(path));
      expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
      const name = path.slice(orgPath.length + 1) || "overview";
      await watched.shot(`phone-dark-${name}`);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      if (width > 390) sideways.push(`${name}: ${width}px`);
    }
    expect(sideways).toEqual([]);
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
