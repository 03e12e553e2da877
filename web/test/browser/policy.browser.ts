import { join } from "node:path";
import { demoInventory } from "@ringfence/db";
import { EnforcerClient } from "@ringfence/engine/control";
import type { Locator } from "playwright-core";
import { describe, expect, it } from "vitest";
import { hitsByRule } from "../../src/ui/components/rule-sets.tsx";
import { decisionEvents, EVENT_COUNT, PER_ACTION } from "./decision-events.ts";
import { SCREENSHOT_DIR } from "./harness.ts";
import { forThisSuite, goTo, openConsole, registrationToken, signInOwner } from "./session.ts";

const session = await forThisSuite(openConsole());
const { page, watched } = session;

/** The demo inventory's Ubuntu tools host (tag Role=tools) and the demo patches bucket. */
const TOOLS_HOST = "10.20.2.30";
const PATCHES = "acme-internal-patches.s3.us-east-1.amazonaws.com";
const RULE = "tools-get-patches";

const workloads = () => page.locator('[data-rule-set="workloads"]');
const ruleOrder = () =>
  workloads()
    .locator("tr[data-rule]")
    .evaluateAll((rows) => rows.map((row) => row.getAttribute("data-rule")));
/** Polls for what the page shows after a refetch, which a loaded machine may take a while for. */
const eventually = <T>(read: () => Promise<T>) => expect.poll(read, { timeout: 15_000 });
const focused = (field: Locator) => field.evaluate((e) => e === document.activeElement);
const setOrder = () =>
  page
    .locator("[data-rule-set]")
    .evaluateAll((sets) => sets.map((set) => set.getAttribute("data-rule-set")));
const ruleRow = (id: string) => page.locator(`tr[data-rule="${id}"]`);
const published = () => page.getByRole("region", { name: "Published versions" });

/** Runs the simulation form and answers the draft's and the published explanation. */
async function simulate(source: string, host: string): Promise<{ draft: Locator; live: Locator }> {
  const form = page.getByRole("form", { name: "Simulate a flow" });
  await form.getByLabel("Source IP or asset ID").fill(source);
  await form.getByLabel("Destination host").fill(host);
  await form.getByRole("button", { name: "Simulate" }).click();
  const draft = page.getByTestId("decision-draft");
  const live = page.getByTestId("decision-published");
  await draft.waitFor();
  return { draft, live };
}

/** Publishes the draft and waits for version `v` to head the published versions. */
async function publish(v: number) {
  await page.getByRole("button", { name: "Publish the draft" }).click();
  await published()
    .getByRole("cell", { name: `v${v}`, exact: true })
    .waitFor();
  await page.getByText("The draft equals the published policy.").waitFor();
}

describe("policy authoring in the console, as a security engineer", () => {
  it("signs in and publishes the demo draft as version 1", async () => {
    expect(await signInOwner(session)).toMatch(/^\/orgs\/[^/]+$/);
    await goTo(page, "Policy");
    await page.getByText("Nothing has been published yet.").first().waitFor();
    expect(await page.getByTestId("draft-diff").textContent()).toContain("+ ");
    await watched.shot("policy-unpublished");

    await publish(1);
    expect(await ruleOrder()).toEqual([
      "web-app-inbound",
      "patches-for-centos7-and-vnetb",
      "analytics-reads-customer-data",
    ]);
    await watched.shot("policy-published");
  });

  it("creates a tag-based address object for the tools hosts", async () => {
    await goTo(page, "Address objects");
    await page.getByLabel("Object id").fill("tools");
    await page.getByLabel("Selector").fill('tag.Role == "tools"');
    // The preview counts once the inventory has loaded: one Ubuntu host carries Role=tools.
    await eventually(() => page.getByTestId("preview-count").textContent()).toMatch(/^1 of /);
    await page.getByRole("button", { name: "Create object" }).click();
    await page.waitForURL(/\/objects\/tools$/);
  });

  it("refuses a rule naming an unknown object, naming the field and the request id", async () => {
    await goTo(page, "Policy");
    await page.getByRole("button", { name: "Add a rule to workloads" }).click();
    const form = page.getByRole("form", { name: "Add a rule to workloads" });
    await form.getByLabel("Rule id").fill(RULE);
    await form.getByLabel("Sources").fill("tools-typo");
    await form.getByLabel("Destinations").fill("patches-bucket");
    watched.expectFailure("/rule-sets/workloads/rules", 400);
    await form.getByRole("button", { name: "Add rule" }).click();

    const alert = form.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/sources\[0\].*tools-typo/);
    expect(await form.getByTestId("request-id").textContent()).toMatch(/\S{8,}/);
    await watched.shot("policy-rule-refused");

    // Nothing stored was lost: the three rules stay, in order, after a reload too.
    const before = await ruleOrder();
    expect(before).toHaveLength(3);
    await page.reload();
    await workloads().locator("tr[data-rule]").first().waitFor();
    expect(await ruleOrder()).toEqual(before);
  });

  it("adds the rule with the tag-based source and moves it up, from the keyboard", async () => {
    await page.getByRole("button", { name: "Add a rule to workloads" }).press("Enter");
    const form = page.getByRole("form", { name: "Add a rule to workloads" });
    await eventually(() => focused(form.getByLabel("Rule id"))).toBe(true);
    await page.keyboard.type(RULE);
    await page.keyboard.press("Tab");
    await page.keyboard.type("tools hosts download patches");
    await form.getByLabel("Sources").fill("tools");
    await form.getByLabel("Destinations").fill("patches-bucket");
    await form.getByLabel("Destinations").press("Enter");
    await ruleRow(RULE).waitFor();
    expect((await ruleOrder()).at(-1)).toBe(RULE);
    expect(await ruleRow(RULE).textContent()).toContain("tools → patches-bucket");
    await watched.shot("policy-rule-added");

    const up = page.getByRole("button", { name: `Move ${RULE} up` });
    await up.focus();
    await page.keyboard.press("Enter");
    await eventually(ruleOrder).toEqual([
      "web-app-inbound",
      "patches-for-centos7-and-vnetb",
      RULE,
      "analytics-reads-customer-data",
    ]);
  });

  it("switches the rule to proxy mode with an inspection profile, and shows the draft diff", async () => {
    const edit = page.getByRole("button", { name: `Edit ${RULE}` });
    const form = page.getByRole("form", { name: `Edit rule ${RULE}` });
    // Escape closes the editor and gives the focus back to the button that opened it.
    await edit.press("Enter");
    await eventually(() => focused(form.getByLabel("Rule name"))).toBe(true);
    await page.keyboard.press("Escape");
    await form.waitFor({ state: "detached" });
    expect(await focused(edit)).toBe(true);

    await edit.click();
    expect(await form.getByLabel("Rule id").isDisabled()).toBe(true);
    await form.getByLabel("Mode").selectOption("proxy");
    await form.getByRole("checkbox", { name: /customer-records-dlp/ }).check();
    await form.getByRole("button", { name: "Save rule" }).click();
    await form.waitFor({ state: "detached" });
    await eventually(() => ruleRow(RULE).textContent()).toContain("proxy · customer-records-dlp");
    expect(await focused(edit)).toBe(true);

    const diff = page.getByTestId("draft-diff");
    // The export sorts keys, so a rule's lines run action, destinations, enabled, id, mode….
    await eventually(() => diff.textContent()).toContain(`+         id: ${RULE}`);
    const text = (await diff.textContent()) ?? "";
    expect(text).toContain("+           - tools");
    expect(text).toContain("+           - customer-records-dlp");
    expect(text).toContain("+         mode: proxy");
    // Only additions: nothing of the published policy is removed by adding a rule.
    const signs = new Set((await diff.locator("span").allTextContents()).map((l) => l[0]));
    expect(signs).toEqual(new Set(["+"]));
    await watched.shot("policy-draft-diff");
  });

  it("simulates the flow and explains the deciding rule and the matched objects", async () => {
    const { draft, live } = await simulate(TOOLS_HOST, PATCHES);
    const drafted = (await draft.textContent()) ?? "";
    expect(drafted).toContain("Draft: allow");
    expect(drafted).toContain(`${RULE} in rule set workloads, the first rule that matched`);
    expect(drafted).toMatch(/Source objects\s*tools/);
    expect(drafted).toContain("service patches-bucket");
    expect(drafted).toContain("profiles customer-records-dlp");
    const running = (await live.textContent()) ?? "";
    expect(running).toContain("Published (v1): deny");
    expect(running).toContain("no rule matched; the default of workloads decided");
    await watched.shot("policy-simulation-draft");

    // The same flow from the tools host named by its asset ID: the inventory supplies the rest.
    const tools = demoInventory().assets.find((a) => a.addresses.private.includes(TOOLS_HOST));
    const byAsset = await simulate(tools?.id ?? "no such asset", PATCHES);
    await eventually(() => byAsset.draft.textContent()).toMatch(/Source objects\s*tools/);
    expect(await byAsset.draft.textContent()).toContain("Draft: allow");

    await publish(2);
    const after = await simulate(TOOLS_HOST, PATCHES);
    await eventually(() => after.live.textContent()).toContain("Published (v2): allow");
    expect(await after.live.textContent()).toContain(RULE);
  });

  it("switches the rule to monitor, publishes, and sees it logged but not enforced", async () => {
    await ruleRow(RULE)
      .getByRole("button", { name: `Monitor ${RULE}` })
      .click();
    await ruleRow(RULE).getByText("monitor only").waitFor();
    await publish(3);

    const { live } = await simulate(TOOLS_HOST, PATCHES);
    await eventually(() => live.textContent()).toContain("Published (v3): deny");
    expect(await live.textContent()).toContain(`${RULE} (would allow)`);
    await watched.shot("policy-monitor");
  });

  it("rolls back to version 2, which is enforced and becomes the draft again", async () => {
    await published().getByRole("button", { name: "Roll back to v2" }).click();
    await published().getByRole("cell", { name: "rollback (rollback of v2)" }).waitFor();
    await ruleRow(RULE).getByText("enforced").waitFor();
    await page.getByText("The draft equals the published policy.").waitFor();
    const bundles = page.locator("section").filter({ hasText: "Signed bundles" });
    await bundles.getByText("rollback of v2").waitFor();

    const { live } = await simulate(TOOLS_HOST, PATCHES);
    await eventually(() => live.textContent()).toContain("Published (v4): allow");
    expect(await live.textContent()).toContain(`${RULE} in rule set workloads`);
    await watched.shot("policy-rolled-back");
  });

  it("inspects a simulated request with the deciding rule's WAF profile", async () => {
    const form = page.getByRole("form", { name: "Simulate a flow" });
    await form.getByLabel("Request path (optional)").fill("/preview?url=http://0xa9fea9fe/");
    const { draft } = await simulate("203.0.113.9", "preview.acme-demo.example");
    await eventually(() => draft.textContent()).toContain("Inspection: block");
    const text = (await draft.textContent()) ?? "";
    expect(text).toContain("Draft: allow the request is blocked by inspection");
    expect(text).toContain("web-app-inbound in rule set workloads");
    expect(text).toContain("profiles web-waf");
    expect(await draft.getByRole("cell", { name: "ssrf" }).count()).toBeGreaterThan(0);
    await watched.shot("policy-simulation-inspection");
    await form.getByLabel("Request path (optional)").fill("");
  });

  it("shows hit counts with the first and last hit once a gateway reports decisions", async () => {
    const token = await registrationToken(page, "policy-gw");
    const client = new EnforcerClient({
      baseUrl: session.origin,
      allowInsecureLoopback: true,
    });
    const enrolled = await client.register(token, { kind: "gateway", softwareVersion: "1.4.0" });
    const events = decisionEvents(enrolled.enforcerId, new Date());
    expect(await client.postEvents(events)).toEqual({ accepted: EVENT_COUNT, duplicates: 0 });

    await goTo(page, "Policy");
    const hits = page.getByTestId("hits-web-app-inbound");
    await eventually(() => hits.textContent()).toBe(String(PER_ACTION));
    const allowed = events.filter((e) => e.reasons.ruleId === "web-app-inbound");
    const times = allowed.map((e) => e.time).sort();
    const shown = await ruleRow("web-app-inbound").textContent();
    // The page formats times in the browser's locale; it shows the first and the last one.
    const local = (iso: string | undefined) =>
      page.evaluate((t) => new Date(t ?? "").toLocaleString(), iso);
    expect(shown).toContain(`first ${await local(times[0])}`);
    expect(shown).toContain(`last ${await local(times.at(-1))}`);
    expect(await page.getByTestId(`hits-${RULE}`).textContent()).toBe("0");
    await watched.shot("policy-hits");

    // The same folding the page does, over the API's per-action rows.
    expect(
      hitsByRule([
        { ruleId: "r", hits: 2, firstSeen: "2026-01-02", lastSeen: "2026-01-03" },
        { ruleId: "r", hits: 3, firstSeen: "2026-01-01", lastSeen: "2026-01-02" },
      ]).get("r"),
    ).toEqual({ hits: 5, first: "2026-01-01", last: "2026-01-03" });
  });

  it("refuses a last rule set that falls through, then adds it first, empty", async () => {
    const form = page.getByRole("form", { name: "Add a rule set" });
    await form.getByLabel("Rule set id").fill("quarantine");
    await form.getByLabel("Rule set name").fill("Quarantined hosts");
    await form.getByLabel("Default action").selectOption("next");
    watched.expectFailure("/rule-sets", 400);
    await form.getByRole("button", { name: "Add rule set" }).click();
    const alert = form.getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/ruleSets\[2\]\.defaultAction.*cannot default/);
    expect(await form.getByTestId("request-id").textContent()).toMatch(/\S{8,}/);
    await watched.shot("policy-rule-set-refused");
    expect(await setOrder()).toEqual(["guard", "workloads"]);

    await form.getByLabel("Place").selectOption("first");
    await form.getByRole("button", { name: "Add rule set" }).click();
    const added = page.locator('[data-rule-set="quarantine"]');
    await added.getByText("No rules: the default action decides.").waitFor();
    expect(await setOrder()).toEqual(["quarantine", "guard", "workloads"]);
    await watched.shot("policy-empty-rule-set");
  });

  it("reorders rule sets, and a first set's default action decides the draft", async () => {
    await page.getByRole("button", { name: "Move rule set quarantine down" }).click();
    await eventually(setOrder).toEqual(["guard", "quarantine", "workloads"]);
    await page.getByRole("button", { name: "Move rule set quarantine up" }).click();
    await eventually(setOrder).toEqual(["quarantine", "guard", "workloads"]);
    await page.getByLabel("Default action of quarantine").selectOption("deny");
    await page.getByRole("heading", { name: "Quarantined hosts · default deny" }).waitFor();

    const { draft, live } = await simulate(TOOLS_HOST, PATCHES);
    await eventually(() => draft.textContent()).toContain(
      "no rule matched; the default of quarantine decided",
    );
    expect(await live.textContent()).toContain("Published (v4): allow");
    await watched.shot("policy-rule-set-first");

    await page.getByRole("button", { name: "Delete rule set quarantine" }).click();
    await page.getByText("The draft equals the published policy.").waitFor();
    expect(await setOrder()).toEqual(["guard", "workloads"]);
  });

  it("deletes a rule set and disables a rule in the draft, then discards both", async () => {
    await page.getByRole("button", { name: "Delete rule set guard" }).click();
    await eventually(setOrder).toEqual(["workloads"]);
    const diff = page.getByTestId("draft-diff");
    await eventually(() => diff.textContent()).toMatch(/- +id: no-metadata/);
    const signs = new Set((await diff.locator("span").allTextContents()).map((l) => l[0]));
    expect(signs).toEqual(new Set(["-"]));
    await watched.shot("policy-rule-set-deleted");

    // A disabled rule stays in the draft but no longer matches.
    await page.getByRole("button", { name: "Edit web-app-inbound" }).click();
    const form = page.getByRole("form", { name: "Edit rule web-app-inbound" });
    await form.getByRole("checkbox", { name: /^Enabled/ }).uncheck();
    await form.getByRole("button", { name: "Save rule" }).click();
    await ruleRow("web-app-inbound").getByText("disabled").waitFor();
    const { draft, live } = await simulate("203.0.113.9", "preview.acme-demo.example");
    await eventually(() => draft.textContent()).toContain("the default of workloads decided");
    expect(await live.textContent()).toContain("web-app-inbound in rule set workloads");

    await page.getByRole("button", { name: "Discard the draft's changes" }).click();
    await page.getByText("The draft equals the published policy.").waitFor();
    expect(await setOrder()).toEqual(["guard", "workloads"]);
    expect(await ruleRow("no-metadata").count()).toBe(1);
    expect(await ruleRow("web-app-inbound").getByText("disabled").count()).toBe(0);
  });

  it("shows a loading state while the API answers, fits a phone and a dark theme", async () => {
    let release = () => {};
    const held = new Promise<void>((done) => {
      release = done;
    });
    await page.waitForLoadState("networkidle");
    await page.route("**/api/v1/orgs/*/rule-sets", async (route) => {
      await held;
      await route.continue();
    });
    await page.reload();
    await page.getByRole("status").filter({ hasText: "Loading rule sets" }).waitFor();
    await page.screenshot({ path: join(SCREENSHOT_DIR, "policy-loading.png"), fullPage: true });
    release();
    // Unrouting only once the held request went on: a handler still waiting would be bypassed.
    await ruleRow(RULE).waitFor();
    await page.unroute("**/api/v1/orgs/*/rule-sets");

    await page.setViewportSize({ width: 390, height: 844 });
    // Wide tables scroll inside their cards; the page itself never scrolls sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(overflow).toBeLessThanOrEqual(390);
    await watched.shot("policy-phone");
    await page.setViewportSize({ width: 1280, height: 860 });

    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await watched.shot("policy-dark");
  });

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
