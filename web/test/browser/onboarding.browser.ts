import { describe, expect, it } from "vitest";
import { CALLER, demoAccount, startAwsReplay, world } from "../discovery/aws-fixtures.ts";
import { forThisSuite, goTo, signInOwner } from "./session.ts";
import { connectIdentityProvider, openConsoleWithSso, signInWithSso } from "./sso.ts";

// Onboarding, an account's history and the organisation switcher, driven in Chromium against
// `next start` on PGlite. AWS is the replay server on loopback (STS, EC2, S3 with SigV4), the
// same one the verify route's API tests use; the control plane reaches it as configured. SSO
// runs against the test OpenID provider on loopback, and domains are verified through a DNS
// server on loopback that the control plane is pointed at (RINGFENCE_DNS_SERVERS).
const SSO_DOMAIN = "acme-sso.test";
const OP_CLIENT = { clientId: "ringfence-console", clientSecret: "op-secret-for-browser-tests" };
let orgPath = "";
const customer = demoAccount();

const replay = await forThisSuite(startAwsReplay(world([customer], 1000)));
const { session, zone, op } = await forThisSuite(
  openConsoleWithSso(OP_CLIENT, {
    RINGFENCE_AWS_ACCESS_KEY_ID: CALLER.accessKeyId,
    RINGFENCE_AWS_SECRET_ACCESS_KEY: CALLER.secretAccessKey,
    RINGFENCE_AWS_ENDPOINT: replay.url,
    RINGFENCE_AWS_TEMPLATE_URL: "https://templates.example/ringfence-readonly-role.yaml",
    RINGFENCE_AWS_PRINCIPAL_ARN: CALLER.arn,
    // The replay's loopback address is the only non-global destination discovery may reach.
    RINGFENCE_OUTBOUND_ALLOW: "127.0.0.1",
    AWS_EC2_METADATA_DISABLED: "true",
  }),
);
const { page, watched } = session;

/** Fills the wizard for `provider` and presses Continue. */
async function onboard(provider: string, fields: Record<string, string>): Promise<void> {
  await page.goto(session.url(`${orgPath}/accounts/new`));
  await page.getByRole("radio", { name: new RegExp(`^${provider}`) }).check();
  for (const [label, value] of Object.entries(fields)) {
    await page.getByLabel(label, { exact: true }).fill(value);
  }
  await page.getByRole("button", { name: "Continue" }).click();
}

/** Reloads until the sync history has a line whose text matches `pattern`. */
async function historyLine(pattern: RegExp): Promise<void> {
  const history = page.getByRole("table").filter({ hasText: "Trigger" });
  for (let i = 0; i < 60; i++) {
    const rows = history.getByRole("row").filter({ hasText: pattern });
    if ((await rows.count()) > 0) return;
    await page.waitForTimeout(1000);
  }
  throw new Error(`no sync history line matches ${pattern}`);
}

describe("onboarding, account history and organisations in the console", () => {
  it("shows SSO as not configured without an error", async () => {
    orgPath = session ? await signInOwner(session) : "";
    expect(orgPath).toMatch(/^\/orgs\//);
    await goTo(page, "Single sign-on");
    await page.getByTestId("sso-state").waitFor();
    expect(await page.getByLabel("Issuer").inputValue()).toBe("");
    await watched.shot("sso-empty");
  });

  it("verifies an email domain by its TXT record and connects the identity provider", async () => {
    await connectIdentityProvider(page, { zone, op, domain: SSO_DOMAIN, client: OP_CLIENT });
    await watched.shot("sso-configured");
  });

  it("signs a member of the verified domain in through the provider, just in time", async () => {
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.getByLabel("Work address").fill(`dana@${SSO_DOMAIN}`);
    await watched.shot("sign-in-sso");
    await signInWithSso(page, op, {
      sub: "op-dana",
      email: `dana@${SSO_DOMAIN}`,
      name: "Dana Scully",
    });
    await page.waitForURL((url) => url.pathname === orgPath);
    const switcher = page.getByLabel("Organisation");
    expect(await switcher.locator("option:checked").textContent()).toBe("Acme Corp (viewer)");
    await watched.shot("sso-member-overview");

    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/sign-in/);
    expect(await signInOwner(session)).toBe(orgPath);
  });

  it("onboards an AWS account with the setup from the API and the quick-create link", async () => {
    await onboard("AWS", { "Display name": "prod-aws", "AWS account id": customer.accountId });
    await page.waitForURL(/\/accounts\/cla_/);
    const externalId = (await page.getByTestId("aws-externalid").textContent()) ?? "";
    expect(externalId).toMatch(/^rf-[0-9a-f]{32}$/);
    expect(await page.getByTestId("aws-role-arn").textContent()).toBe(
      `arn:aws:iam::${customer.accountId}:role/RingfenceReadOnly`,
    );
    expect(await page.getByTestId("aws-trusted-principal").textContent()).toBe(CALLER.arn);
    const link = page.getByRole("link", { name: /quick-create/ });
    const href = new URL((await link.getAttribute("href")) ?? "");
    expect(href.origin).toBe("https://console.aws.amazon.com");
    expect(href.hash).toContain(`param_ExternalId=${externalId}`);
    await watched.shot("account-aws-new");
  });

  it("shows STS's refusal when the role's trust policy requires another ExternalId", async () => {
    const externalId = (await page.getByTestId("aws-externalid").textContent()) ?? "";
    await page.getByRole("button", { name: "Verify role" }).click();
    const outcome = page.getByTestId("verify-result");
    await outcome.waitFor();
    expect(await outcome.getByRole("alert").textContent()).toContain(
      `the role's trust policy must require ExternalId ${externalId}`,
    );
    expect(await page.getByTestId("status-message").textContent()).toContain(externalId);
    await watched.shot("account-aws-verify-failed");

    // The customer fixes the trust policy: the replayed role now requires Ringfence's id.
    customer.externalId = externalId;
    await page.getByRole("button", { name: "Verify role" }).click();
    await outcome.getByText("role verified").waitFor();
    expect(await outcome.getByRole("alert").count()).toBe(0);
    await page.getByText("active", { exact: true }).first().waitFor();
    await watched.shot("account-aws-verified");
  });

  it("syncs, then shows the next sync's added, changed and removed assets", async () => {
    await page.getByRole("button", { name: "Sync now" }).click();
    await historyLine(/succeeded.*\+\d+/);

    const east = customer.regions["us-east-1"];
    const west = customer.regions["eu-west-1"];
    if (!east?.instances[0] || !west) throw new Error("the demo account lost its regions");
    east.instances[0].tags.push({ key: "tier", value: "front" });
    west.vpcs.push({ vpcId: "vpc-added", cidrBlock: "10.2.0.0/16", isDefault: false, tags: [] });
    customer.buckets = customer.buckets.filter((bucket) => bucket.name !== "records-open");
    await page.getByRole("button", { name: "Sync now" }).click();
    await historyLine(/vpc-added/);

    const latest = page.getByRole("row").filter({ hasText: "vpc-added" });
    expect(await latest.textContent()).toMatch(/succeeded\+[1-9]\d*~[1-9]\d*−[1-9]/);
    expect(await latest.locator('[data-diff="added"]').textContent()).toContain("vpc-added");
    expect(await latest.locator('[data-diff="changed"]').textContent()).toContain("i-web1");
    expect(await latest.locator('[data-diff="removed"]').textContent()).toContain("records-open");
    await watched.shot("account-aws-history");
  });

  it("names the invalid Azure field, then saves the subscription as pending", async () => {
    const ids = {
      "Tenant id": "8d3c8b0e-5a4f-4f0e-9d43-3b6c9e2a1f00",
      "Client (application) id": "0f1e2d3c-4b5a-4968-8776-5a4b3c2d1e0f",
    };
    watched.expectFailure("/accounts", 400);
    await onboard("Azure", { "Display name": "corp-azure", "Subscription id": "sub-1", ...ids });
    const alert = page.getByRole("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/subscriptionId/);
    await watched.shot("account-azure-invalid");

    await page
      .getByLabel("Subscription id", { exact: true })
      .fill("2b7a4c1d-9e8f-4a6b-8c5d-1e2f3a4b5c6d");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/accounts\/cla_/);
    await page.getByRole("heading", { name: "corp-azure" }).waitFor();
    expect(await page.getByText("pending", { exact: true }).count()).toBeGreaterThan(0);
    await watched.shot("account-azure");
  });

  it("names the invalid GCP project id, then saves the project", async () => {
    watched.expectFailure("/accounts", 400);
    await onboard("GCP", { "Display name": "analytics-gcp", "Project id": "Not_A_Project" });
    const alert = page.getByRole("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/projectId/);
    await watched.shot("account-gcp-invalid");

    await page.getByLabel("Project id", { exact: true }).fill("acme-analytics-01");
    await page.getByRole("button", { name: "Continue" }).click();
    await page.waitForURL(/\/accounts\/cla_/);
    await page.getByRole("heading", { name: "analytics-gcp" }).waitFor();
    expect(await page.getByText("pending", { exact: true }).count()).toBeGreaterThan(0);
    await watched.shot("account-gcp");

    await goTo(page, "Cloud accounts");
    for (const name of ["prod-aws", "corp-azure", "analytics-gcp"]) {
      await page.getByRole("link", { name }).waitFor();
    }
    await watched.shot("accounts");
  });

  it("switches between two organisations of the same user", async () => {
    const switcher = page.getByLabel("Organisation");
    await switcher.selectOption("new");
    await page.waitForURL(/\/orgs\/new$/);
    await page.getByLabel("Name").fill("Globex Research");
    await watched.shot("org-new");
    await page.getByRole("button", { name: "Create" }).click();
    await page.waitForURL(
      (url) => /^\/orgs\/org_\w+$/.test(url.pathname) && url.pathname !== orgPath,
    );
    const globexPath = new URL(page.url()).pathname;
    await goTo(page, "Cloud accounts");
    await page.getByText("No cloud accounts yet.").waitFor();
    await watched.shot("org-globex-accounts");

    await page.getByLabel("Organisation").selectOption({ label: "Acme Corp (owner)" });
    await page.waitForURL((url) => url.pathname === orgPath);
    await goTo(page, "Cloud accounts");
    await page.getByRole("link", { name: "prod-aws" }).waitFor();

    await page.getByLabel("Organisation").selectOption({ label: "Globex Research (owner)" });
    await page.waitForURL((url) => url.pathname === globexPath);
    await watched.shot("org-switched");
  });

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
