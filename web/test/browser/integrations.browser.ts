import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { EnforcerClient } from "@ringfence/engine/control";
import { describe, expect, it } from "vitest";
import { decisionEvents, EVENT_COUNT } from "./decision-events.ts";
import { forThisSuite, goTo, openConsole, registrationToken, signInOwner } from "./session.ts";

/** OCSF events the loopback webhook receiver was sent on `/hook`, by uid (at least once). */
const received = new Set<string>();
/** Each `/hook` batch as it arrived, to check its Standard Webhooks signature afterwards. */
const batches: { signed: string; signature: string }[] = [];
/** While true, `/flaky` answers 503, so its deliveries retry and then dead-letter. */
let flaky = true;
let secret = "";

/** A webhook receiver on loopback: `/hook` records every batch, `/flaky` fails on demand. */
async function startReceiver(): Promise<{ hookUrl: string; close(): Promise<void> }> {
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk: Buffer) => {
      body += chunk.toString();
    });
    request.on("end", () => {
      if (request.url === "/flaky") {
        response.writeHead(flaky ? 503 : 204).end();
        return;
      }
      const header = (name: string) => String(request.headers[name] ?? "");
      const signed = `${header("webhook-id")}.${header("webhook-timestamp")}.${body}`;
      batches.push({ signed, signature: header("webhook-signature") });
      const batch = JSON.parse(body) as { data: { metadata: { uid: string } }[] };
      for (const event of batch.data) received.add(event.metadata.uid);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  return {
    hookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

const { hookUrl } = await forThisSuite(startReceiver());
// Plain HTTP is accepted only towards an allowlisted destination: the receiver's loopback.
const session = await forThisSuite(
  openConsole({ RINGFENCE_INTEGRATION_EGRESS_ALLOW: "127.0.0.1/32" }),
);
const { page, watched } = session;

async function until(check: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 400; i++) {
    if (await check()) return;
    await new Promise((done) => setTimeout(done, 500));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe("integrations and draft editors in the console over the running product", () => {
  it("refuses an integration aimed at the metadata address, naming the target", async () => {
    expect(await signInOwner(session)).toMatch(/^\/orgs\//);
    await goTo(page, "Integrations");
    await page.getByText("No integration yet.").waitFor();
    await page.getByLabel("Name").fill("metadata");
    await page.getByLabel("Target").fill("http://169.254.169.254/latest/meta-data");
    watched.expectFailure("/integrations", 400);
    await page.getByRole("button", { name: "Add integration" }).click();
    const alert = page.getByRole("main").getByRole("alert");
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/target is refused/);
    expect(await page.getByTestId("request-id").textContent()).toMatch(/\S+/);
    await watched.shot("integrations-refused");
  });

  it("adds a webhook and a Splunk HEC integration whose secrets are write-only", async () => {
    await page.getByLabel("Name").fill("siem-hook");
    await page.getByLabel("Target").fill(hookUrl);
    await page.getByRole("button", { name: "Add integration" }).click();
    secret = (await page.getByTestId("shown-once").textContent()) ?? "";
    expect(secret).toMatch(/^whsec_/);

    await page.getByLabel("Kind").selectOption("splunk_hec");
    await page.getByLabel("HEC token").fill("hec-token-never-shown");
    await page.getByLabel("Name").fill("splunk");
    await page.getByLabel("Target").fill("https://127.0.0.1:8088");
    await page.getByLabel("HEC token").press("Enter");
    await page.getByRole("link", { name: "splunk" }).waitFor();

    // The shortest dead-letter horizon, so the replay test below need not wait a day.
    await page.getByLabel("Kind").selectOption("webhook");
    await page.getByLabel("Name").fill("flaky-hook");
    await page.getByLabel("Target").fill(hookUrl.replace("/hook", "/flaky"));
    await page.getByLabel("Dead-letter after (minutes)").fill("1");
    await page.getByRole("button", { name: "Add integration" }).click();
    await page.getByRole("link", { name: "flaky-hook" }).waitFor();
    expect(await page.getByText("stored (write-only)").count()).toBe(3);
    expect(await page.content()).not.toContain("hec-token-never-shown");
    await watched.shot("integrations");
  });

  it("delivers reported events and shows them in the delivery log", async () => {
    const token = await registrationToken(page, "gw-integrations");
    const client = new EnforcerClient({
      baseUrl: session.origin,
      allowInsecureLoopback: true,
    });
    const answer = await client.register(token, { kind: "gateway" });
    await client.postEvents(decisionEvents(answer.enforcerId, new Date()));
    await until(() => received.size >= EVENT_COUNT, "the webhook to receive every event");
    // Every batch verifies under the secret the console showed once, so it is the one stored.
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    for (const batch of batches) {
      const expected = createHmac("sha256", key).update(batch.signed).digest("base64");
      expect(batch.signature.split(" ")).toContain(`v1,${expected}`);
    }

    await goTo(page, "Integrations");
    await page.getByRole("link", { name: "siem-hook" }).click();
    const delivered = page.getByRole("cell", { name: "delivered" }).first();
    await delivered.waitFor();
    expect(await page.getByRole("cell", { name: "204" }).count()).toBeGreaterThan(0);
    await page.getByLabel("Deliveries").selectOption("delivered");
    await page
      .getByRole("cell", { name: /^event / })
      .first()
      .waitFor();
    await watched.shot("integration");

    // Everything stored was delivered, so a backfill of the day queues nothing twice.
    await page.getByRole("button", { name: "Send the last 24 hours it has not had" }).click();
    expect(await page.getByTestId("backfilled").textContent()).toBe("0 events queued");
  });

  it("sends a test event and shows the receiver's answer", async () => {
    await page.getByRole("button", { name: "Send test event" }).click();
    const answer = page.getByTestId("test-answer");
    await answer.waitFor();
    expect(await answer.textContent()).toMatch(/^delivered.*HTTP 204/);
    const uid = (await answer.locator("code").textContent()) ?? "";
    expect(uid).toMatch(/^test_/);
    // The receiver got it, signed with the secret the console showed once.
    await until(() => received.has(uid), "the receiver to get the test event");
    const key = Buffer.from(secret.slice("whsec_".length), "base64");
    const last = batches.at(-1);
    const expected = createHmac("sha256", key)
      .update(last?.signed ?? "")
      .digest("base64");
    expect(last?.signature.split(" ")).toContain(`v1,${expected}`);
    await watched.shot("integration-test-event");
  });

  it("pages through the delivered deliveries with a cursor", async () => {
    const pages = page.getByRole("navigation", { name: "Delivery pages" });
    const cells = page.getByRole("cell", { name: /^event / });
    /** The page's rows once the pager has its page (not the previous one kept while loading). */
    const shown = async (number: number) => {
      await pages.getByText(`Page ${number}`).waitFor();
      await page.locator('nav[aria-label="Delivery pages"][aria-busy="false"]').waitFor();
      return cells.allTextContents();
    };
    const first = await shown(1);
    expect(first.length).toBeGreaterThan(0);
    await pages.getByRole("button", { name: "Older" }).click();
    const second = await shown(2);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((text) => first.includes(text))).toEqual([]);
    await watched.shot("integration-deliveries-page-2");
    await pages.getByRole("button", { name: "Newer" }).click();
    expect(await shown(1)).toEqual(first);
  });

  it("edits an integration and keeps the change", async () => {
    await page.getByLabel("Name").fill("siem-hook-eu");
    await page.getByLabel("Minimum severity").selectOption("4");
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.").waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "siem-hook-eu" }).waitFor();
    expect(await page.getByLabel("Minimum severity").inputValue()).toBe("4");
  });

  it("creates a service object and names an invalid field", async () => {
    await goTo(page, "Service objects");
    await page.getByLabel("Kind").selectOption("fqdn");
    await page.getByRole("button", { name: "New service object" }).click();
    const doc = page.getByLabel("Document (JSON)");
    await doc.fill('{"id": "partner-api", "kind": "fqdn", "hosts": []}');
    watched.expectFailure("/services", 400);
    await page.getByRole("button", { name: "Save service object" }).click();
    const alert = page.getByRole("main").getByRole("alert");
    expect(await alert.textContent()).toMatch(/hosts/);
    await watched.shot("services-error");

    await doc.fill('{"id": "partner-api", "kind": "fqdn", "hosts": ["api.partner.example"]}');
    await page.getByRole("button", { name: "Save service object" }).click();
    await page.getByRole("cell", { name: "partner-api", exact: true }).waitFor();
    expect(await page.getByRole("cell", { name: "api.partner.example" }).count()).toBe(1);
    await watched.shot("services");
  });

  it("tunes the WAF profile's paranoia and exclusions and a DLP profile's detectors", async () => {
    await goTo(page, "Inspection profiles");
    await page.getByRole("button", { name: "Edit web-waf" }).click();
    await page.getByLabel("Paranoia level").selectOption("3");
    // Typed key by key: a line being written must survive until it parses.
    await page.getByLabel(/^Exclusions/).pressSequentially("query.q 942100 /search");
    const doc = JSON.parse(await page.getByLabel("Document (JSON)").inputValue()) as object;
    expect(doc).toMatchObject({
      paranoia: 3,
      exclusions: [{ location: "query.q", rule: "942100" }],
    });
    await watched.shot("profile-waf");
    await page.getByRole("button", { name: "Save inspection profile" }).click();
    await page.getByRole("cell", { name: /paranoia 3, block, 1 exclusions/ }).waitFor();

    await page.getByRole("button", { name: "Edit customer-records-dlp" }).click();
    await page.getByLabel(/^Detectors/).fill("credit-card block 3\nemail redact 1");
    await page.getByRole("button", { name: "Save inspection profile" }).click();
    await page.getByRole("cell", { name: /^2 detectors/ }).waitFor();
    await watched.shot("profiles");
  });

  it("replays dead-lettered deliveries once the receiver is back", async () => {
    await goTo(page, "Integrations");
    await page.getByRole("link", { name: "flaky-hook" }).click();
    const deliveries = page.getByLabel("Deliveries");
    await deliveries.waitFor();
    // Retries back off from 1 s; the first failure after the 60 s horizon dead-letters.
    await until(async () => {
      await page.reload();
      await page.getByRole("cell", { name: "503" }).first().waitFor();
      return (await page.getByRole("button", { name: "Replay dead-lettered" }).count()) > 0;
    }, "deliveries to dead-letter");
    expect(await page.getByRole("cell", { name: /^event / }).count()).toBeGreaterThan(0);
    await watched.shot("integration-dead");

    flaky = false;
    await page.getByRole("button", { name: "Replay dead-lettered" }).click();
    expect(await page.getByTestId("replayed").textContent()).toMatch(/^[1-9]\d* requeued$/);
    await deliveries.selectOption("delivered");
    await page
      .getByRole("cell", { name: /^event / })
      .first()
      .waitFor({ timeout: 30_000 });
  }, 240_000);

  it("logged no console error on any page", () => {
    expect(watched.errors).toEqual([]);
  });
});
