import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { DEMO_OWNER_EMAIL } from "@ringfence/db";
import { Secret, TOTP } from "otpauth";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildConsole,
  DEMO_PASSWORD,
  launchBrowser,
  type RunningServer,
  removeDir,
  seededDataDir,
  startConsole,
} from "./harness.ts";
import { WatchedPage } from "./watched-page.ts";

let root = "";
let server: RunningServer | undefined;
let context: BrowserContext | undefined;
let watched: WatchedPage;
let page: Page;
let orgPath = "";

beforeAll(async () => {
  await buildConsole();
  const seeded = await seededDataDir();
  root = seeded.root;
  server = await startConsole(seeded.dataDir);
  context = await launchBrowser(root, server.url);
  watched = await WatchedPage.open(context);
  page = watched.page;
}, 900_000);

afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (root) await removeDir(root);
});

const url = (path: string) => `${server?.url}${path}`;

async function signIn(email: string, password: string) {
  await page.goto(url("/sign-in"));
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  // Submitting with Enter proves the form works from the keyboard.
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(/\/orgs\/[^/]+$/);
}

async function go(section: string) {
  await page
    .getByRole("navigation", { name: "Sections" })
    .getByRole("link", { name: section })
    .click();
  await page.waitForLoadState("networkidle");
}

describe("the console over the running product", () => {
  it("signs up a new user who creates an organisation", async () => {
    await page.goto(url("/sign-up"));
    await watched.shot("sign-up");
    await page.getByLabel("Name").fill("Grace Analyst");
    await page.getByLabel("Email").fill("grace@example.test");
    await page.getByLabel("Password").fill("correct horse battery");
    await page.getByRole("button", { name: "Sign up" }).click();
    await page.waitForURL(/\/orgs\/new$/);
    await watched.shot("org-new");

    await page.getByLabel("Name").fill("Grace Labs");
    await page.getByRole("button", { name: "Create" }).click();
    await page.getByRole("heading", { name: "Grace Labs" }).waitFor();
    await watched.shot("overview-empty");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in$/);
    await watched.shot("sign-in");
  });

  it("signs the demo owner in with the keyboard and shows Acme Corp", async () => {
    await signIn(DEMO_OWNER_EMAIL, DEMO_PASSWORD);
    orgPath = new URL(page.url()).pathname;
    await page.getByRole("heading", { name: "Acme Corp" }).waitFor();
    const switcher = page.getByLabel("Organisation");
    expect(await switcher.locator("option").allTextContents()).toContain("Acme Corp (owner)");
  });

  it("onboards an AWS account with a generated ExternalId and explains a bad id", async () => {
    await go("Cloud accounts");
    await watched.shot("accounts-empty");
    await page.getByRole("link", { name: "Onboard an account" }).first().click();
    await page.getByLabel("Display name").fill("Production");
    await page.getByLabel("AWS account id").fill("12345");
    watched.expectFailure("/accounts", 400);
    await page.getByRole("button", { name: "Continue" }).click();
    // Next.js has a route announcer with the alert role too; ours is inside <main>.
    const alert = page.getByRole("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/12 digits/);
    expect(await page.getByTestId("request-id").textContent()).toMatch(/\S+/);
    await watched.shot("onboard-aws-error");

    await page.getByLabel("AWS account id").fill("111122223333");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/accounts\/[^/?]+\?new=1$/);
    const externalId = await page.getByTestId("aws-externalid").textContent();
    expect(externalId).toMatch(/^rf-[0-9a-f]{32}$/);
    expect(await page.getByTestId("aws-role-arn").textContent()).toBe(
      "arn:aws:iam::111122223333:role/RingfenceReadOnly",
    );
    // This control plane has no AWS settings: no quick-create link, and Verify says what to set.
    expect(await page.getByTestId("aws-manual").textContent()).toMatch(
      /RINGFENCE_AWS_TEMPLATE_URL/,
    );
    watched.expectFailure("/verify", 409);
    await page.getByRole("button", { name: "Verify role" }).click();
    const refused = page.getByRole("main").getByRole("alert");
    await refused.waitFor();
    expect(await refused.textContent()).toMatch(/RINGFENCE_AWS_ENDPOINT/);
    await page.getByRole("button", { name: "Sync now" }).click();
    await page.getByRole("cell", { name: "manual" }).waitFor();
    await watched.shot("account-aws");
  });

  it("imports CLI exports into an offline account and lists the diff", async () => {
    await page.goto(url(`${orgPath}/accounts/new`));
    await page.getByLabel("Offline import").check();
    await watched.shot("onboard-offline");
    await page.getByLabel("Display name").fill("Acme exports");
    // Another account id than the AWS onboarding's: one cloud account is onboarded once.
    await page.getByLabel("Account, subscription or project id").fill("444455556666");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/accounts\/[^/?]+\?new=1$/);

    const file = await readFile(join(import.meta.dirname, "fixtures", "acme-inventory.json"));
    await page.getByLabel(/Cloud CLI exports/).setInputFiles({
      name: "acme-inventory.json",
      mimeType: "application/json",
      buffer: file,
    });
    await page.getByRole("button", { name: /Import 1 file/ }).click();
    const result = page.getByTestId("import-result");
    await result.waitFor();
    expect(await result.textContent()).toMatch(/4\s*added/);
    await watched.shot("account-import");
  });

  it("filters and searches the inventory and opens an asset", async () => {
    await go("Inventory");
    const count = page.getByTestId("asset-count");
    // The demo seed may hold assets of its own; the fixture's carry Suite=console.
    const total = /of (\d+) assets/.exec((await count.textContent()) ?? "")?.[1];
    expect(Number(total)).toBeGreaterThanOrEqual(4);
    await page.getByLabel("Tag").fill("Suite=console");
    await expect(count.textContent()).resolves.toBe(`4 of ${total} assets`);
    await page.getByLabel("Search").fill("web");
    await expect(count.textContent()).resolves.toBe(`2 of ${total} assets`);
    await page.getByLabel("Region").selectOption("us-east-1");
    await page.getByLabel("Search").fill("10.0.2.11");
    await expect(count.textContent()).resolves.toBe(`1 of ${total} assets`);
    await watched.shot("inventory-filtered");

    await page.getByRole("link", { name: "web-2" }).click();
    await page.getByRole("heading", { name: "web-2" }).waitFor();
    await page.getByRole("cell", { name: "imds.http_tokens" }).waitFor();
    expect(await page.getByRole("cell", { name: "Env" }).count()).toBe(1);
    await watched.shot("asset");
  });

  it("marks a selector error at its position and previews the matching assets", async () => {
    await go("Address objects");
    const selector = page.getByLabel("Selector");
    await selector.fill("tag.Role == ");
    const error = page.getByTestId("selector-error");
    expect(await error.textContent()).toMatch(/Line 1, column 13: expected/);
    await watched.shot("object-selector-error");

    await selector.fill('tag.Suite == "console" and tag.Role == "web" and region == "us-east-1"');
    await expect(page.getByTestId("preview-count").textContent()).resolves.toMatch(
      /^2 of \d+ assets match$/,
    );
    const diff = await page.getByTestId("membership-diff").textContent();
    expect(diff).toContain("i-0web000000000001");
    expect(diff).toContain("Added by this change (2)");
    await watched.shot("object-preview");
  });

  it("shows the policy page with its signed bundles", async () => {
    await go("Policy");
    await page.getByRole("heading", { name: "Signed bundles" }).waitFor();
    await watched.shot("policy");
  });

  it("shows posture findings with their generated fixes", async () => {
    await go("Posture");
    // The fixture's web-1 accepts IMDSv1 and its bucket has no policy.
    const web1 = page.locator("section").filter({ hasText: "i-0web000000000001" });
    await web1.getByText("imds_v1_allowed").waitFor();
    await page.locator("section").filter({ hasText: "acme-customer-records" }).first().waitFor();
    await web1.getByText(/Generated fix \(aws-metadata-options\)/).click();
    await web1.getByText(/"HttpTokens": "required"/).waitFor();
    await watched.shot("posture");
  });

  it("invites a member, creates and revokes an API key shown once", async () => {
    await go("Members");
    await page.getByLabel("Email").fill("ops@example.test");
    await page.getByLabel("Role", { exact: true }).selectOption("editor");
    await page.getByRole("button", { name: "Invite" }).click();
    await page.getByTestId("shown-once").waitFor();
    await page.getByRole("cell", { name: "ops@example.test" }).waitFor();
    await watched.shot("members");

    await go("API keys");
    await page.getByLabel("Name").fill("ci");
    await page.getByLabel("Scope").selectOption("write");
    await page.getByRole("button", { name: "Create key" }).click();
    expect(await page.getByTestId("shown-once").textContent()).toMatch(/^rfk_/);
    // Revoking asks first, naming the key; Cancel leaves it as it was.
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("group", { name: /^Revoke ci\?/ }).waitFor();
    await page.getByRole("button", { name: "Cancel" }).click();
    await page.getByRole("button", { name: "Revoke" }).click();
    await watched.shot("api-keys-confirm");
    await page.getByRole("button", { name: "Yes, revoke" }).click();
    await page.getByText("revoked").waitFor();
    await watched.shot("api-keys");
  });

  it("registers an enforcer and offers the organisation CA", async () => {
    await go("Enforcers");
    await page.getByLabel("Enforcer name").fill("vpc-a-gateway");
    await page.getByRole("button", { name: "Create registration token" }).click();
    const command = await page.getByTestId("install-command").textContent();
    const token = await page.getByTestId("shown-once").textContent();
    expect(command).toContain(token ?? "missing");
    const download = page.getByRole("link", { name: "Download ringfence-ca.pem" });
    expect(decodeURIComponent((await download.getAttribute("href")) ?? "")).toContain(
      "-----BEGIN CERTIFICATE-----",
    );
    await watched.shot("enforcers");
  });

  it("records every change in the audit log", async () => {
    await go("Audit log");
    await page
      .getByRole("cell", { name: /api_key/ })
      .first()
      .waitFor();
    expect(await page.locator("tbody tr").count()).toBeGreaterThan(3);
    await watched.shot("audit-log");
  });

  it("switches to the dark theme and fits a phone screen", async () => {
    await go("Overview");
    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await watched.shot("overview-dark");
    await go("Inventory");
    await watched.shot("inventory-dark");

    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("button", { name: "Menu" }).click();
    await watched.shot("mobile-menu");
  });

  it("turns on two-factor sign-in and asks for it at the next sign-in", async () => {
    await page.setViewportSize({ width: 1280, height: 860 });
    await page.goto(url("/account/security"));
    await page.getByRole("button", { name: "Set up an authenticator app" }).click();
    const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
    await watched.shot("mfa-enrol");
    const code = TOTP.generate({ secret: Secret.fromBase32(secret) });
    await page.getByLabel("First code from the app").fill(code);
    await page.getByRole("button", { name: "Turn on" }).click();
    const codes = ((await page.getByTestId("shown-once").textContent()) ?? "").split(/\s+/);
    await page.locator('[data-testid="mfa-state"]', { hasText: /^on$/ }).waitFor();
    await watched.shot("mfa-on");

    // The code above is spent for its time step, so the next sign-in uses a recovery code.
    await context?.clearCookies();
    await page.goto(url("/sign-in"));
    await page.getByLabel("Email").fill(DEMO_OWNER_EMAIL);
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(/\/sign-in\/mfa$/);
    await watched.shot("mfa-sign-in");
    await page.getByRole("button", { name: "Use a recovery code" }).click();
    await page.getByLabel("Recovery code").fill(codes[0] ?? "");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.waitForURL(/\/orgs\/[^/]+$/);
  });

  it("requires a second factor of every member from the members page", async () => {
    // The owner now has a factor and a fresh session, so the change needs no step-up prompt.
    await go("Members");
    await page.getByText("Members may sign in without a second factor.").waitFor();
    await page.getByRole("button", { name: "Require MFA for every member" }).click();
    await page.getByText("Every member must have a second factor.").waitFor();
    await watched.shot("mfa-required");

    await page.getByRole("button", { name: "Stop requiring MFA" }).click();
    await page.getByText("Members may sign in without a second factor.").waitFor();
  });

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
