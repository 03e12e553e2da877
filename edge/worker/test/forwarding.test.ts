import { describe, expect, it } from "vitest";
import { ORIGIN_SIGNATURE_HEADER } from "../src/origin/index.ts";
import { storefrontPolicy } from "./fixtures.ts";
import { tenant } from "./support.ts";

interface Echo {
  method: string;
  path: string;
  requestId: string;
  headers: Record<string, string>;
  body: string;
}

describe("forwarding to the origin", () => {
  it("delivers an allowed request that the origin's verifier accepts", async () => {
    const edge = tenant("forward");
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/orders?id=7", {
      method: "POST",
      body: '{"sku":"A-1"}',
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(200);
    const echo = await response.json<Echo>();
    expect(echo).toMatchObject({ method: "POST", path: "/orders?id=7", body: '{"sku":"A-1"}' });
    expect(echo.requestId).toBe(response.headers.get("x-request-id"));
    expect(echo.headers["x-forwarded-for"]).toBe("203.0.113.7");
    expect(echo.headers["x-forwarded-host"]).toBe("app.example.test");
  });

  it("replaces a signature header the client tried to smuggle", async () => {
    const edge = tenant("smuggle");
    await edge.publish(storefrontPolicy);
    const forged = "v1;t=1;rid=forged;sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    const response = await edge.call("/", { headers: { [ORIGIN_SIGNATURE_HEADER]: forged } });
    expect(response.status).toBe(200);
    const echo = await response.json<Echo>();
    expect(echo.headers[ORIGIN_SIGNATURE_HEADER]).not.toBe(forged);
  });

  it("denies by rule with a 403 problem that names the rule and nothing internal", async () => {
    const edge = tenant("deny");
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/", { clientIp: "192.0.2.1" });
    expect(response.status).toBe(403);
    const body = await response.json<Record<string, unknown>>();
    expect(body).toMatchObject({ code: "denied", status: 403 });
    expect(Object.keys(body).sort()).toEqual(["code", "requestId", "status", "title", "type"]);
  });

  it("blocks an attack in proxy mode and names the detection", async () => {
    const edge = tenant("attack");
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/fetch?url=http://[::ffff:169.254.169.254]/latest/");
    expect(response.status).toBe(403);
    const body = await response.json<{ ruleId: string; detections: string[] }>();
    expect(body.ruleId).toBe("office-inspected");
    expect(body.detections).toContain("ssrf-internal-destination");
  });

  it("cuts a response that leaks a card number, and records the detection", async () => {
    const edge = tenant("leak");
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/export", {
      method: "POST",
      body: "customer card 4111 1111 1111 1111 on file",
    });
    expect(await response.text()).not.toContain("4111 1111 1111 1111");

    const events = await edge.events();
    const detection = events.find((event) => event.kind === "detection");
    expect(detection?.action).toBe("deny");
    expect(JSON.stringify(detection?.detections)).toContain("dlp-credit-card");
  });

  it("refuses a body too large to inspect instead of forwarding it unchecked", async () => {
    const edge = tenant("large");
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/upload", {
      method: "POST",
      body: new Uint8Array(8 * 1024 * 1024 + 1),
    });
    expect(response.status).toBe(413);
  });

  it("reads a body streamed without a declared length, and refuses one too large", async () => {
    const edge = tenant("streamed");
    await edge.publish(storefrontPolicy);
    const stream = (...chunks: Uint8Array[]) =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          for (const chunk of chunks) controller.enqueue(chunk);
          controller.close();
        },
      });
    const attack = new TextEncoder().encode("url=http://169.254.169.254/latest/meta-data/");
    const form = { "content-type": "application/x-www-form-urlencoded" };
    const blocked = await edge.call("/fetch", {
      method: "POST",
      headers: form,
      body: stream(attack),
    });
    expect(blocked.status).toBe(403);
    const half = new Uint8Array(4 * 1024 * 1024 + 1);
    const large = await edge.call("/upload", { method: "POST", body: stream(half, half) });
    expect(large.status).toBe(413);
  });

  it("answers 502 problem+json when the origin is down", async () => {
    const edge = tenant("down", { ORIGIN_URL: "http://127.0.0.1:9" });
    await edge.publish(storefrontPolicy);
    const response = await edge.call("/", { clientIp: "198.51.100.4" });
    expect(response.status).toBe(502);
    expect((await response.json<{ code: string }>()).code).toBe("origin-unreachable");
  });
});
