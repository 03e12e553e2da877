import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyHolder } from "../src/engine/policy.ts";
import { rulesPolicy, startTestGateway } from "./helpers.ts";
import { httpsViaConnect, makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

const profiles = [
  { kind: "waf", id: "waf", paranoia: 1, mode: "block" },
  {
    kind: "dlp",
    id: "dlp",
    directions: ["response"],
    detectors: [{ detector: "us-ssn", action: "block" }],
  },
];

beforeAll(async () => {
  pki = await makePki(["api.test"]);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  gateway = await startTestGateway({
    hosts: { "api.test": ["127.0.0.1"] },
    upstreamCa: [pki.upstreamCa.certPem],
    orgCa: pki.orgCa,
    policy: new PolicyHolder(
      rulesPolicy(
        [
          {
            id: "inspect",
            src: ["127.0.0.3"],
            host: "api.test",
            mode: "proxy",
            profiles: ["waf", "dlp"],
          },
        ],
        1,
        profiles,
      ),
    ),
  });
});
afterAll(async () => {
  await gateway.close(100);
  upstream.close();
});

const request = (path: string) =>
  httpsViaConnect({
    gatewayPort: gateway.proxyPort,
    authority: `api.test:${upstream.port}`,
    servername: "api.test",
    ca: pki.orgCa.certPem,
    localAddress: "127.0.0.3",
    path,
  });

describe("inspection in proxy mode", () => {
  it("passes a clean request and records no detection", async () => {
    expect(await request("/items?page=2")).toMatchObject({ status: 200 });
    expect(gateway.events.at(-1)).toMatchObject({ action: "allow", http: { status: 200 } });
  });

  it("blocks an SSRF to the metadata service in a query parameter before it reaches upstream", async () => {
    const result = await request("/fetch?url=http://169.254.169.254/latest/meta-data/iam/");
    expect(result).toMatchObject({ status: 403 });
    const event = gateway.events.at(-1);
    expect(event?.action).toBe("deny");
    expect(event?.detections?.some((d) => d.category === "ssrf")).toBe(true);
  });

  it("answers 403 for a response blocked in its first bytes, before its head left", async () => {
    const result = await request("/records?q=219-09-9999");
    expect(result).toMatchObject({ status: 403 });
    expect(result).not.toMatchObject({ body: expect.stringContaining("219-09-9999") });
    const event = gateway.events.at(-1);
    expect(event?.detections?.map((d) => d.id)).toContain("dlp-us-ssn");
    expect(event).toMatchObject({ action: "deny", http: { status: 403 } });
  });
});
