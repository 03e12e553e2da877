import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PolicyHolder } from "../src/engine/policy.ts";
import { rulesPolicy, startTestGateway } from "./helpers.ts";
import { httpsViaConnect, makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let gateway: Awaited<ReturnType<typeof startTestGateway>>;

// Sources: 127.0.0.2 is the tagged app (forwarding), 127.0.0.3 the inspected app (proxy mode),
// 127.0.0.4 matches no rule.
beforeAll(async () => {
  pki = await makePki(["api.test", "other.test"]);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  gateway = await startTestGateway({
    hosts: {
      "api.test": ["127.0.0.1"],
      "other.test": ["127.0.0.1"],
      "imds.test": ["169.254.169.254"],
    },
    upstreamCa: [pki.upstreamCa.certPem],
    orgCa: pki.orgCa,
    policy: new PolicyHolder(
      rulesPolicy([
        { id: "fwd", src: ["127.0.0.2"], host: "api.test" },
        { id: "fwd-imds", src: ["127.0.0.2"], host: "imds.test" },
        { id: "inspect", src: ["127.0.0.3"], host: "api.test", mode: "proxy" },
      ]),
    ),
  });
});
afterAll(async () => {
  await gateway.close(100);
  upstream.close();
});

const via = (localAddress: string, extra: Partial<Parameters<typeof httpsViaConnect>[0]> = {}) =>
  httpsViaConnect({
    gatewayPort: gateway.proxyPort,
    authority: `api.test:${upstream.port}`,
    servername: "api.test",
    ca: pki.upstreamCa.certPem,
    localAddress,
    ...extra,
  });

describe("forwarding mode", () => {
  it("splices an allowed tunnel so the client sees the upstream's own certificate", async () => {
    const result = await via("127.0.0.2");
    expect(result).toMatchObject({ status: 200, issuer: "Upstream Test CA" });
    expect(gateway.events.at(-1)).toMatchObject({
      kind: "connection",
      action: "allow",
      reasons: { ruleId: "fwd" },
    });
  });

  it("refuses the CONNECT from a source no rule allows", async () => {
    const result = await via("127.0.0.4");
    expect(result).toEqual({ error: "CONNECT answered 403" });
    expect(gateway.events.at(-1)).toMatchObject({ action: "deny", src: { ip: "127.0.0.4" } });
  });

  it("denies a tunnel whose SNI differs from the CONNECT host", async () => {
    const result = await via("127.0.0.2", { servername: "other.test" });
    expect(result).toHaveProperty("error");
    expect(gateway.events.at(-1)?.detections?.[0]?.id).toBe("gateway.sni-mismatch");
  });

  it("denies a tunnel without SNI", async () => {
    const result = await via("127.0.0.2", { servername: "" });
    expect(result).toHaveProperty("error");
    expect(gateway.events.at(-1)?.detections?.[0]?.id).toBe("gateway.no-sni");
  });

  it("never connects to a metadata address even when a rule allows the name", async () => {
    const result = await via("127.0.0.2", { authority: "imds.test:80", servername: "imds.test" });
    expect(result).toHaveProperty("error");
    const last = gateway.events.at(-1);
    expect(last?.detections?.[0]?.id).toBe("gateway.egress.metadata-address");
  });
});

describe("proxy mode", () => {
  it("terminates TLS with a leaf from the org CA and verifies the upstream", async () => {
    const result = await via("127.0.0.3", { ca: pki.orgCa.certPem });
    expect(result).toMatchObject({ status: 200, issuer: "Org Test CA" });
    if (!("body" in result)) throw new Error("no body");
    expect(JSON.parse(result.body)).toMatchObject({
      method: "GET",
      url: "/hello",
      host: "api.test",
    });
    expect(gateway.events.at(-1)).toMatchObject({
      kind: "request",
      action: "allow",
      http: { status: 200 },
    });
  });

  it("refuses domain fronting (Host differs from SNI)", async () => {
    const result = await via("127.0.0.3", { ca: pki.orgCa.certPem, hostHeader: "other.test" });
    expect(result).toMatchObject({ status: 421 });
    expect(gateway.events.at(-1)?.detections?.[0]?.id).toBe("gateway.domain-fronting");
  });
});

function hasCurl(): boolean {
  try {
    execFileSync("curl", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** curl through the gateway from `source`; the environment is emptied so no proxy variable leaks in. */
function curl(source: string, caPem: string): Promise<string> {
  const caFile = path.join(mkdtempSync(path.join(os.tmpdir(), "rf-curl-")), "ca.pem");
  writeFileSync(caFile, caPem);
  const args = ["-sS", "--max-time", "10", "--proxy", `http://127.0.0.1:${gateway.proxyPort}`];
  args.push("--interface", source, "--cacert", caFile, "-w", " %{http_code}");
  args.push(`https://api.test:${upstream.port}/curl`);
  return new Promise((resolve) => {
    execFile("curl", args, { env: { PATH: process.env.PATH ?? "" } }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

describe.skipIf(!hasCurl())("curl --proxy (skipped when curl is not installed)", () => {
  it("reaches the upstream in forwarding and proxy mode and is refused from other sources", async () => {
    expect(await curl("127.0.0.2", pki.upstreamCa.certPem)).toMatch(/"url":"\/curl".* 200$/);
    expect(await curl("127.0.0.3", pki.orgCa.certPem)).toMatch(/"url":"\/curl".* 200$/);
    expect(await curl("127.0.0.4", pki.upstreamCa.certPem)).toContain("403");
  });
});
