import { EnforcerClient } from "@ringfence/engine/control";
import { describe, expect, it } from "vitest";
import {
  DENIED_SOURCE,
  DETECTIONS,
  decisionEvents,
  EVENT_COUNT,
  PER_ACTION,
} from "./decision-events.ts";
import { forThisSuite, goTo, openConsole, registrationToken, signInOwner } from "./session.ts";

const session = await forThisSuite(openConsole());
const { page, watched } = session;

const go = (section: string) => goTo(page, section);

/**
 * Registers a gateway with a token made in the console and reports through the enforcer
 * protocol like a real one: its enforced bundle version, then an hour of decision events.
 */
async function enforcerReports(token: string, version: number) {
  const origin = session.origin;
  const client = new EnforcerClient({ baseUrl: origin, allowInsecureLoopback: true });
  const answer = await client.register(token, { kind: "gateway", softwareVersion: "1.4.0" });
  await client.reportStatus({ version, softwareVersion: "1.4.0" });
  return client.postEvents(decisionEvents(answer.enforcerId, new Date()));
}

describe("analytics and events in the console over the running product", () => {
  it("signs the demo owner in and publishes the demo policy", async () => {
    expect(await signInOwner(session)).toMatch(/^\/orgs\/[^/]+$/);

    await go("Analytics");
    await page.getByText("No decisions in this window.").waitFor();
    await watched.shot("analytics-empty");

    await go("Policy");
    await page.getByRole("button", { name: "Publish the draft" }).click();
    const versions = page.getByRole("region", { name: "Published versions" });
    await versions.getByRole("cell", { name: "v1", exact: true }).waitFor();
  });

  it("shows an enforcer's enforced version against the latest once it reports", async () => {
    const token = await registrationToken(page, "edge-gw-report");
    expect(await enforcerReports(token, 1)).toEqual({ accepted: EVENT_COUNT, duplicates: 0 });

    await page.reload();
    const row = page.getByRole("row").filter({ hasText: "edge-gw-report" });
    await row.waitFor();
    expect(await row.textContent()).toContain("v1 / v1");
    expect(await row.getByText("current").count()).toBe(1);
    await watched.shot("enforcers-reporting");
  });

  it("charts the reported traffic with top denied sources, detections and rule hits", async () => {
    await go("Analytics");
    const totals = page.getByTestId("traffic-totals");
    await expect(totals.textContent()).resolves.toBe(
      `${PER_ACTION} allowed · ${PER_ACTION} denied · ${PER_ACTION} monitored`,
    );
    // Only denied decisions count there, and every denied event came from one source.
    const sources = page.getByRole("list", { name: "Top denied sources" });
    expect(await sources.getByRole("listitem").first().textContent()).toBe(
      `${DENIED_SOURCE}${PER_ACTION}`,
    );
    const detections = page.getByRole("list", { name: "Detections by category" });
    expect(await detections.textContent()).toBe(`sqli (critical)${DETECTIONS}`);
    const rules = page.getByRole("row").filter({ hasText: "web-app-inbound" });
    expect(await rules.getByRole("cell").nth(1).textContent()).toBe(String(PER_ACTION));
    await page.getByRole("cell", { name: "default rule" }).waitFor();
    await watched.shot("analytics");

    await page.getByLabel("Time range").selectOption("7d");
    await expect(totals.textContent()).resolves.toContain(`${PER_ACTION} denied`);
    await watched.shot("analytics-7d");

    await page.setViewportSize({ width: 390, height: 844 });
    await watched.shot("analytics-phone");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("pages through events with a cursor and filters them", async () => {
    await go("Events");
    const count = page.getByTestId("event-count");
    await expect(count.textContent()).resolves.toBe("25 events shown, more available");
    await page.getByRole("button", { name: "Load more" }).click();
    await page.getByText(`${EVENT_COUNT} events shown`, { exact: true }).waitFor();
    expect(await page.locator("tbody tr").count()).toBe(EVENT_COUNT);
    await watched.shot("events");

    await page.getByLabel("Action").selectOption("deny");
    await page.getByLabel("Source IP").fill(DENIED_SOURCE);
    await page.getByLabel("Source IP").press("Enter");
    await page.getByText(`${PER_ACTION} events shown`, { exact: true }).waitFor();
    const actions = await page.locator("tbody tr td:nth-child(2)").allTextContents();
    expect(new Set(actions)).toEqual(new Set(["deny"]));
    await watched.shot("events-filtered");

    await page.getByLabel("Source IP").fill("10.9.0");
    watched.expectFailure("/events", 400);
    await page.getByRole("button", { name: "Apply filters" }).click();
    const alert = page.getByRole("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/srcIp/);
    expect(await page.getByTestId("request-id").textContent()).toMatch(/\S+/);
    await watched.shot("events-error");
  });

  it("opens an event with its reasons, detection and OCSF form", async () => {
    await page.getByRole("button", { name: "Clear" }).click();
    await page.getByLabel("Kind").selectOption("request");
    await page.getByLabel("Action").selectOption("allow");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await page.getByText("2 events shown", { exact: true }).waitFor();
    await page.locator("tbody tr").first().getByRole("link").click();
    await page.waitForURL(/\/events\/[0-9a-f-]{36}$/);

    const reasons = page.getByTestId("reasons");
    await reasons.waitFor();
    expect(await reasons.textContent()).toContain("web-app-inbound");
    await reasons.getByRole("link", { name: "web-app" }).waitFor();
    await page.getByRole("cell", { name: "waf-942100" }).waitFor();
    const ocsf = JSON.parse((await page.getByTestId("ocsf-json").textContent()) ?? "[]") as {
      class_uid: number;
    }[];
    expect(ocsf.map((e) => e.class_uid).sort()).toEqual([2004, 4002]);
    await watched.shot("event");

    await page.getByRole("button", { name: "Switch to dark theme" }).click();
    expect(await page.locator("html").getAttribute("data-theme")).toBe("dark");
    await watched.shot("event-dark");
  });

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
