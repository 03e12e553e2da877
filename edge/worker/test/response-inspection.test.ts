import { resolvePolicy } from "@ringfence/engine/policy";
import { describe, expect, it } from "vitest";
import { BUFFERED_RESPONSE_BYTES } from "../src/inspection.ts";
import { storefrontPolicy } from "./fixtures.ts";
import { originAnswers, tenant } from "./support.ts";

const CARD = "4111 1111 1111 1111";

/** The office gets the WAF only: nothing inspects its responses. */
const wafOnlyPolicy = resolvePolicy(
  {
    schemaVersion: 1,
    objects: [
      { id: "office", kind: "static", addresses: ["203.0.113.0/24"] },
      { id: "app", kind: "fqdn", fqdns: ["app.example.test"] },
    ],
    ruleSets: [
      {
        id: "edge",
        defaultAction: "deny",
        rules: [
          {
            id: "office-waf",
            sources: ["office"],
            destinations: ["app"],
            action: "allow",
            mode: "proxy",
            profiles: ["waf"],
          },
        ],
      },
    ],
    profiles: [{ id: "waf", kind: "waf" }],
  },
  { schemaVersion: 1, assets: [] },
);

describe("response inspection", () => {
  it("answers 502 instead of a small response that leaks a card, sending none of it", async () => {
    const edge = tenant("small-leak");
    await edge.publish(storefrontPolicy);
    await originAnswers("/statements/small", { body: `card on file: ${CARD}` });
    const response = await edge.call("/statements/small");
    expect(response.status).toBe(502);
    const body = await response.text();
    expect(body).not.toContain("4111");
    expect(JSON.parse(body)).toMatchObject({
      code: "response-blocked",
      ruleId: "office-inspected",
    });

    const detection = (await edge.events()).find((event) => event.kind === "detection");
    expect(detection?.action).toBe("deny");
    expect(JSON.stringify(detection?.detections)).toContain("dlp-credit-card");
  });

  it("cuts a large response mid-stream when the card comes after the first chunks", async () => {
    const edge = tenant("large-leak");
    await edge.publish(storefrontPolicy);
    const filler = "quarterly figures, nothing sensitive. ".repeat(BUFFERED_RESPONSE_BYTES / 16);
    await originAnswers("/statements/large", { body: `${filler}card on file: ${CARD}` });
    const response = await edge.call("/statements/large");
    expect(response.status, "headers went out before the card was seen").toBe(200);
    const body = await response.text();
    expect(body.length).toBeLessThan(filler.length + 30);
    expect(body).not.toContain(CARD);
    const detection = (await edge.events()).find((event) => event.kind === "detection");
    expect(detection?.action).toBe("deny");
  });

  it("passes a clean small response whole", async () => {
    const edge = tenant("small-clean");
    await edge.publish(storefrontPolicy);
    await originAnswers("/statements/clean", { body: "balance: 12.40 EUR" });
    const response = await edge.call("/statements/clean");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("balance: 12.40 EUR");
  });

  it("leaves the origin's response untouched when no profile inspects responses", async () => {
    const edge = tenant("waf-only");
    await edge.publish(wafOnlyPolicy);
    await originAnswers("/statements/waf-only", { body: `card on file: ${CARD}` });
    const response = await edge.call("/statements/waf-only");
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(`card on file: ${CARD}`);
    const events = await edge.events();
    expect(events.map((event) => event.kind)).toEqual(["request"]);
  });
});
