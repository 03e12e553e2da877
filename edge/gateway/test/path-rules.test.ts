import { resolvePolicy } from "@ringfence/engine/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePolicy, PolicyHolder } from "../src/engine/policy.ts";
import { startTestGateway } from "./helpers.ts";
import { httpsViaConnect, makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

// Rules that name a path can only match once a request is read. 127.0.0.3 may read
// api.test/reports in proxy mode; other.test/docs is allowed in forwarding mode, where no
// request is ever read; 127.0.0.4 matches no rule. wide.test is allowed in forwarding mode after
// a rule denying its /admin path, which a relayed tunnel could never enforce; open.test is allowed
// in forwarding mode before such a deny, which its allow already shadows.
const policy = () =>
  compilePolicy(
    resolvePolicy(
      {
        schemaVersion: 1,
        objects: [{ id: "reporting", kind: "static", addresses: ["127.0.0.3/32"] }],
        services: [
          { id: "reports", kind: "fqdn", hosts: ["api.test"], pathPrefixes: ["/reports"] },
          { id: "docs", kind: "fqdn", hosts: ["other.test"], pathPrefixes: ["/docs"] },
          { id: "wide-admin", kind: "fqdn", hosts: ["wide.test"], pathPrefixes: ["/admin"] },
          { id: "wide", kind: "fqdn", hosts: ["wide.test"] },
          { id: "open-admin", kind: "fqdn", hosts: ["open.test"], pathPrefixes: ["/admin"] },
          { id: "open", kind: "fqdn", hosts: ["open.test"] },
        ],
        ruleSets: [
          {
            id: "egress",
            defaultAction: "deny",
            rules: [
              {
                id: "reporting-reads",
                sources: ["reporting"],
                destinations: ["reports"],
                action: "allow",
                mode: "proxy",
              },
              { id: "docs", destinations: ["docs"], action: "allow", mode: "forwarding" },
              { id: "no-wide-admin", destinations: ["wide-admin"], action: "deny" },
              { id: "wide", destinations: ["wide"], action: "allow", mode: "forwarding" },
              { id: "open", destinations: ["open"], action: "allow", mode: "forwarding" },
              { id: "no-open-admin", destinations: ["open-admin"], action: "deny" },
            ],
          },
        ],
        profiles: [],
      },
      { schemaVersion: 1, assets: [] },
    ),
    1,
  );

let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let proxying: Awaited<ReturnType<typeof startTestGateway>>;
let forwardingOnly: Awaited<ReturnType<typeof startTestGateway>>;
const names = ["api.test", "other.test", "wide.test", "open.test"];
const hosts = Object.fromEntries(names.map((name) => [name, ["127.0.0.1"]]));

beforeAll(async () => {
  pki = await makePki(names);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  const common = { hosts, upstreamCa: [pki.upstreamCa.certPem] };
  proxying = await startTestGateway({
    ...common,
    orgCa: pki.orgCa,
    policy: new PolicyHolder(policy()),
  });
  forwardingOnly = await startTestGateway({ ...common, policy: new PolicyHolder(policy()) });
});
afterAll(async () => {
  await Promise.all([proxying.close(100), forwardingOnly.close(100)]);
  upstream.close();
});

const via = (
  gateway: Awaited<ReturnType<typeof startTestGateway>>,
  localAddress: string,
  host: string,
  path: string,
) =>
  httpsViaConnect({
    gatewayPort: gateway.proxyPort,
    authority: `${host}:${upstream.port}`,
    servername: host,
    ca: pki.orgCa.certPem,
    localAddress,
    path,
  });

describe("a proxy-mode rule that needs the request path", () => {
  it("admits the tunnel and allows a request under the rule's path", async () => {
    const result = await via(proxying, "127.0.0.3", "api.test", "/reports/2026/q3.csv");

    expect(result).toMatchObject({ status: 200, issuer: "Org Test CA" });
    expect(proxying.events.at(-1)).toMatchObject({
      kind: "request",
      action: "allow",
      reasons: { ruleId: "reporting-reads" },
    });
  });

  it("refuses a request on the admitted tunnel outside the rule's path", async () => {
    const result = await via(proxying, "127.0.0.3", "api.test", "/reports-archive/q3.csv");

    expect(result).toMatchObject({ status: 403 });
    expect(proxying.events.at(-1)).toMatchObject({
      kind: "request",
      action: "deny",
      reasons: { default: true },
    });
  });

  it("still refuses the CONNECT from a source the rule does not name", async () => {
    const result = await via(proxying, "127.0.0.4", "api.test", "/reports/q3.csv");

    expect(result).toEqual({ error: "CONNECT answered 403" });
    expect(proxying.events.at(-1)).toMatchObject({ kind: "connection", action: "deny" });
  });

  it("is denied with a finding when the gateway cannot intercept (no organisation CA)", async () => {
    const result = await via(forwardingOnly, "127.0.0.3", "api.test", "/reports/q3.csv");

    expect(result).toEqual({ error: "CONNECT answered 403" });
    const event = forwardingOnly.events.at(-1);
    expect(event).toMatchObject({ kind: "connection", action: "deny" });
    expect(event?.detections?.[0]).toMatchObject({
      id: "gateway.path-rule-needs-proxy-mode",
      evidence: expect.stringContaining("reporting-reads"),
    });
  });
});

describe("a forwarding-mode rule that needs the request path", () => {
  it("is denied with a finding even where the gateway could intercept", async () => {
    const result = await via(proxying, "127.0.0.4", "other.test", "/docs/index.html");

    expect(result).toEqual({ error: "CONNECT answered 403" });
    expect(proxying.events.at(-1)?.detections?.[0]).toMatchObject({
      id: "gateway.path-rule-needs-proxy-mode",
      evidence: expect.stringContaining("rule docs"),
    });
  });
});

describe("a forwarding-mode allow on a host with a path deny before it", () => {
  it("refuses the tunnel, naming the deny it could not enforce", async () => {
    const result = await via(proxying, "127.0.0.4", "wide.test", "/index.html");

    expect(result).toEqual({ error: "CONNECT answered 403" });
    const event = proxying.events.at(-1);
    expect(event).toMatchObject({ kind: "connection", action: "deny" });
    expect(event?.detections?.[0]).toMatchObject({
      id: "gateway.path-rule-needs-proxy-mode",
      evidence: expect.stringContaining("rule no-wide-admin"),
    });
  });

  it("relays the tunnel when the allow comes first and shadows the path deny", async () => {
    const result = await via(proxying, "127.0.0.4", "open.test", "/index.html");

    // Relayed untouched: the client, trusting only the organisation CA, meets the upstream's
    // own certificate.
    expect(result).toEqual({ error: "unable to verify the first certificate" });
    expect(proxying.events.at(-1)).toMatchObject({
      kind: "connection",
      action: "allow",
      reasons: { ruleId: "open" },
    });
  });
});
