import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyHolder } from "../src/engine/policy.ts";
import { trustedHops } from "../src/proxy/identity.ts";
import {
  type Capture,
  rawExchange,
  rulesPolicy,
  startCapture,
  startTestGateway,
} from "./helpers.ts";

let upstream: Capture;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

// 127.0.0.7 plays a load balancer the gateway trusts; 127.0.0.2 is the only allowed client.
beforeAll(async () => {
  upstream = await startCapture();
  gateway = await startTestGateway({
    hosts: { "upstream.test": ["127.0.0.1"] },
    trustedHops: trustedHops(["127.0.0.7/32"], false, true),
    policy: new PolicyHolder(rulesPolicy([{ id: "r", src: ["127.0.0.2"], host: "upstream.test" }])),
  });
});
afterAll(async () => {
  await gateway.close(100);
  await upstream.close();
});

function get(xff: string): string {
  const target = `upstream.test:${upstream.port}`;
  return `GET http://${target}/ HTTP/1.1\r\nHost: ${target}\r\nX-Forwarded-For: ${xff}\r\nConnection: close\r\n\r\n`;
}

describe("source identity", () => {
  it("believes X-Forwarded-For from a trusted hop", async () => {
    const response = await rawExchange(gateway.proxyPort, get("127.0.0.2"), "127.0.0.7");
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(gateway.events.at(-1)?.src.ip).toBe("127.0.0.2");
  });

  it("ignores X-Forwarded-For from anyone else", async () => {
    const response = await rawExchange(gateway.proxyPort, get("127.0.0.2"), "127.0.0.8");
    expect(response).toMatch(/^HTTP\/1\.1 403/);
    expect(gateway.events.at(-1)?.src.ip).toBe("127.0.0.8");
  });

  it("reads the client from a PROXY v2 header sent by a trusted hop", async () => {
    const proxied = await startTestGateway({
      hosts: { "upstream.test": ["127.0.0.1"] },
      trustedHops: trustedHops(["127.0.0.7/32"], true, false),
      policy: new PolicyHolder(
        rulesPolicy([{ id: "r", src: ["127.0.0.2"], host: "upstream.test" }]),
      ),
    });
    const header = Buffer.concat([
      Buffer.from("0d0a0d0a000d0a515549540a", "hex"),
      Buffer.from([0x21, 0x11, 0x00, 0x0c, 127, 0, 0, 2, 127, 0, 0, 1, 0x30, 0x39, 0x0c, 0x38]),
    ]);
    const response = await rawExchange(
      proxied.proxyPort,
      Buffer.concat([header, Buffer.from(get("x"))]),
      "127.0.0.7",
    );
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(proxied.events.at(-1)?.src).toEqual({ ip: "127.0.0.2", port: 12345 });
    await proxied.close(100);
  });
});
