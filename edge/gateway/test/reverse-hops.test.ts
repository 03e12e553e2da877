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

// 127.0.0.7 plays a load balancer the gateway trusts to name clients; 127.0.0.8 is anyone else.
const BALANCER = "127.0.0.7";
const STRANGER = "127.0.0.8";
const CLIENT = "10.0.0.5";

let upstream: Capture;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  upstream = await startCapture();
  gateway = await startTestGateway({
    hosts: { "app.internal": ["127.0.0.1"] },
    trustedHops: trustedHops([`${BALANCER}/32`], false, true),
    policy: new PolicyHolder(rulesPolicy([{ id: "lb", src: [CLIENT], host: "app.test" }])),
    reverse: {
      listen: { host: "127.0.0.1", port: 0 },
      routes: [{ pathPrefix: "/", upstream: `http://app.internal:${upstream.port}`, profiles: [] }],
    },
  });
});
afterAll(async () => {
  await gateway.close(100);
  await upstream.close();
});

const request = `GET /hello HTTP/1.1\r\nHost: app.test\r\nX-Forwarded-For: ${CLIENT}\r\nConnection: close\r\n\r\n`;

describe("reverse proxy behind a trusted hop", () => {
  it("decides on the client a trusted balancer names and tells the app that client", async () => {
    const answer = await rawExchange(gateway.reversePort ?? 0, request, BALANCER);
    expect(answer).toMatch(/^HTTP\/1\.1 200 /);
    expect(upstream.received()).toMatch(new RegExp(`x-forwarded-for: ${CLIENT}\\r\\n`, "i"));
    expect(upstream.received()).toMatch(/x-forwarded-proto: http\r\n/i);
    expect(gateway.events.at(-1)).toMatchObject({ action: "allow", src: { ip: CLIENT } });
  });

  it("ignores the same claim from an untrusted peer and decides on the peer", async () => {
    const before = upstream.received().length;
    const answer = await rawExchange(gateway.reversePort ?? 0, request, STRANGER);
    expect(answer).toMatch(/^HTTP\/1\.1 403 /);
    expect(upstream.received().length).toBe(before);
    expect(gateway.events.at(-1)).toMatchObject({ action: "deny", src: { ip: STRANGER } });
  });
});

describe("reverse proxy upstreams and the egress guard", () => {
  it("refuses a loopback upstream that egress.allow does not list, without connecting", async () => {
    const guarded = await startTestGateway({
      hosts: { "app.internal": ["127.0.0.1"] },
      egressAllow: [],
      policy: new PolicyHolder(rulesPolicy([{ id: "any", src: [STRANGER], host: "app.test" }])),
      reverse: {
        listen: { host: "127.0.0.1", port: 0 },
        routes: [
          { pathPrefix: "/", upstream: `http://app.internal:${upstream.port}`, profiles: [] },
        ],
      },
    });
    try {
      const before = upstream.received().length;
      const get = "GET / HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n";
      const answer = await rawExchange(guarded.reversePort ?? 0, get, STRANGER);
      expect(answer).toMatch(/^HTTP\/1\.1 403 /);
      expect(answer).toContain('"code":"egress-blocked"');
      expect(upstream.received().length).toBe(before);
      expect(guarded.events.at(-1)?.detections?.[0]?.id).toMatch(/^gateway\.egress\./);
    } finally {
      await guarded.close(100);
    }
  });
});
