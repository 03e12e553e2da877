import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyHolder } from "../src/engine/policy.ts";
import { issueLeaf, loadCa, type PemPair } from "../src/tls/ca.ts";
import { rulesPolicy, startTestGateway } from "./helpers.ts";
import { httpsToReverse, rawTls, startRecordingApp } from "./reverse-helpers.ts";
import { makePki, type TestPki } from "./tls-helpers.ts";

// 127.0.0.5 is the only source the policy lets reach app.test; 127.0.0.6 is outside it.
const ALLOWED = "127.0.0.5";
const OUTSIDE = "127.0.0.6";

const profiles = [
  { kind: "waf", id: "waf", paranoia: 1, mode: "block" },
  {
    kind: "dlp",
    id: "dlp",
    directions: ["response"],
    detectors: [{ detector: "us-ssn", action: "block" }],
  },
];

let pki: TestPki;
let front: PemPair;
let app: Awaited<ReturnType<typeof startRecordingApp>>;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

beforeAll(async () => {
  pki = await makePki(["app.internal"]);
  // The certificate the reverse proxy presents to clients, from a CA the test clients trust.
  front = await issueLeaf(await loadCa(pki.orgCa), { hosts: ["app.test"] });
  app = await startRecordingApp(pki.upstreamLeaf);
  gateway = await startTestGateway({
    hosts: { "app.internal": ["127.0.0.1"] },
    policy: new PolicyHolder(
      rulesPolicy([{ id: "inbound", src: [ALLOWED], host: "app.test" }], 1, profiles),
    ),
    reverse: {
      listen: { host: "127.0.0.1", port: 0 },
      tls: front,
      routes: [
        {
          host: "app.test",
          pathPrefix: "/",
          upstream: `https://app.internal:${app.port}`,
          profiles: ["waf", "dlp"],
          upstreamCa: [pki.upstreamCa.certPem],
        },
      ],
    },
  });
});
afterAll(async () => {
  await gateway.close(100);
  app.close();
});

const reversePort = () => gateway.reversePort ?? 0;
const send = (path: string, extra: Partial<Parameters<typeof httpsToReverse>[0]> = {}) =>
  httpsToReverse({
    port: reversePort(),
    ca: pki.orgCa.certPem,
    localAddress: ALLOWED,
    path,
    ...extra,
  });

describe("reverse proxy for inbound applications", () => {
  it("relays a clean request over TLS and sets X-Forwarded-For and -Proto itself", async () => {
    const before = app.received.length;
    const answer = await send("/items?page=2", {
      headers: { "x-forwarded-for": "203.0.113.9", forwarded: "for=203.0.113.9" },
    });
    expect(answer).toMatchObject({ status: 200, body: '{"hello":"app"}' });
    expect(answer.headers["x-request-id"]).toEqual(expect.any(String));

    const seen = app.received.slice(before);
    expect(seen).toHaveLength(1);
    // The client's own forwarding claims are replaced: it is not a trusted hop.
    expect(seen[0]?.headers).toMatchObject({
      "x-forwarded-for": ALLOWED,
      "x-forwarded-proto": "https",
      host: "app.test",
    });
    expect(seen[0]?.headers.forwarded).toBeUndefined();
    expect(gateway.events.at(-1)).toMatchObject({
      action: "allow",
      kind: "request",
      src: { ip: ALLOWED },
      dst: { host: "app.test" },
      reasons: { ruleId: "inbound" },
      http: { status: 200 },
    });
  });

  it("blocks an SSRF to the metadata service in a query before anything reaches the app", async () => {
    const before = app.received.length;
    const answer = await send("/fetch?url=http://169.254.169.254/latest/meta-data/iam/");
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({
      error: { code: "blocked-by-inspection", requestId: answer.headers["x-request-id"] },
    });
    expect(answer.body).not.toContain("169.254");
    expect(app.received.length).toBe(before);
    const event = gateway.events.at(-1);
    expect(event?.action).toBe("deny");
    expect(event?.detections?.some((d) => d.category === "ssrf")).toBe(true);
  });

  it("blocks an SSRF in a JSON body before anything reaches the app", async () => {
    const before = app.received.length;
    const answer = await send("/fetch", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        url: "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      }),
    });
    expect(answer.status).toBe(403);
    expect(app.received.length).toBe(before);
    expect(gateway.events.at(-1)?.detections?.some((d) => d.category === "ssrf")).toBe(true);
  });

  it("refuses a source outside the allowed address object with 403", async () => {
    const before = app.received.length;
    const answer = await send("/items", { localAddress: OUTSIDE });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "denied" } });
    expect(app.received.length).toBe(before);
    expect(gateway.events.at(-1)).toMatchObject({ action: "deny", src: { ip: OUTSIDE } });
  });

  it("answers 404 for a host no route serves", async () => {
    const answer = await send("/items", { headers: { host: "other.test" } });
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "no-route" } });
  });

  it("cuts off a response carrying a social security number", async () => {
    const raw = await rawTls({
      port: reversePort(),
      ca: pki.orgCa.certPem,
      localAddress: ALLOWED,
      bytes: "GET /records HTTP/1.1\r\nHost: app.test\r\nConnection: close\r\n\r\n",
    });
    expect(raw).not.toContain("219-09-9999");
    // The connection is closed without the final chunk, so the client cannot mistake it for a
    // complete answer.
    expect(raw.endsWith("0\r\n\r\n")).toBe(false);
    const event = gateway.events.at(-1);
    expect(event?.detections?.map((d) => d.id)).toContain("dlp-us-ssn");
    expect(event?.action).toBe("deny");
  });
});

// Each case is a desync vector; the gateway answers 400 itself and the app sees nothing.
const framing: Array<[string, string]> = [
  ["CL with TE", "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
  ["bare LF", "X-A: 1\nX-B: 2\r\n\r\n"],
  ["obs-fold", "X-A: 1\r\n  folded\r\n\r\n"],
  ["space before colon", "Content-Length : 0\r\n\r\n"],
  ["bad chunk size", "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"],
];

describe("reverse proxy framing", () => {
  it.each(framing)("refuses %s with 400 and forwards nothing", async (_name, rest) => {
    const before = app.received.length;
    const raw = await rawTls({
      port: reversePort(),
      ca: pki.orgCa.certPem,
      localAddress: ALLOWED,
      bytes: `POST /submit HTTP/1.1\r\nHost: app.test\r\n${rest}`,
    });
    expect(raw).toMatch(/^HTTP\/1\.1 400 /);
    expect(app.received.length).toBe(before);
  });

  it("refuses an encoded slash that could route differently upstream", async () => {
    const answer = await send("/public%2F..%2Fadmin");
    expect(answer.status).toBe(400);
  });
});
