import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseGatewayConfig } from "../src/config.ts";
import { runGateway, type SingleProcess } from "../src/runtime/run.ts";
import { startControlPlane, type TestControlPlane } from "./control-plane.ts";
import { rawExchange, resolvedPolicy, waitFor } from "./helpers.ts";
import { httpsViaConnect, makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let control: TestControlPlane;
let dir: string;

beforeAll(async () => {
  pki = await makePki(["api.test"]);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  control = await startControlPlane();
  dir = await mkdtemp(path.join(os.tmpdir(), "rf-gw-sync-"));
  await writeFile(path.join(dir, "token"), "rfr_test-token");
  await writeFile(path.join(dir, "upstream-ca.pem"), pki.upstreamCa.certPem);
});
afterAll(async () => {
  upstream.close();
  await control.close();
  await rm(dir, { recursive: true, force: true });
});

function start(stateDir: string, withControl = true): Promise<SingleProcess> {
  return runGateway(
    parseGatewayConfig({
      stateDir,
      listen: { proxy: { port: 0 }, metrics: { port: 0 } },
      controlPlane: withControl
        ? {
            url: control.url,
            tokenFile: path.join(dir, "token"),
            allowInsecureLoopback: true,
            waitSeconds: 1,
          }
        : undefined,
      resolver: { kind: "static", hosts: { "api.test": ["127.0.0.1"] } },
      egress: { allow: ["127.0.0.0/8"] },
      upstreamCaFile: path.join(dir, "upstream-ca.pem"),
      events: { flushMs: 50 },
      shutdownGraceMs: 2_000,
    }),
  );
}

function connectFrom(proc: SingleProcess, localAddress: string) {
  return httpsViaConnect({
    gatewayPort: proc.gateway.proxyPort,
    authority: `api.test:${upstream.port}`,
    servername: "api.test",
    ca: pki.upstreamCa.certPem,
    localAddress,
  });
}

const version = (proc: SingleProcess) => proc.gateway.context.policy.current.version;

describe("bundle sync", () => {
  it("registers, enforces the first bundle, swaps to a newer one and refuses a forged one", async () => {
    await control.publish(resolvedPolicy([{ id: "a", src: ["127.0.0.2"], host: "api.test" }]));
    const proc = await start(path.join(dir, "state"));
    await waitFor(() => version(proc) === 1, "bundle 1");
    expect(await connectFrom(proc, "127.0.0.2")).toMatchObject({ status: 200 });
    expect(await connectFrom(proc, "127.0.0.5")).toEqual({ error: "CONNECT answered 403" });

    await control.publish(resolvedPolicy([{ id: "b", src: ["127.0.0.5"], host: "api.test" }]));
    await waitFor(() => version(proc) === 2, "bundle 2");
    expect(await connectFrom(proc, "127.0.0.5")).toMatchObject({ status: 200 });

    await control.publishTampered(resolvedPolicy([]));
    await waitFor(
      () => JSON.stringify(control.statuses.at(-1) ?? "").includes("signature"),
      "refusal report",
    );
    expect(version(proc)).toBe(2);
    await proc.stop();
  });

  it("starts from the persisted bundle while the control plane is unreachable", async () => {
    control.setDown(true);
    const proc = await start(path.join(dir, "state"));
    expect(version(proc)).toBe(2);
    expect(await connectFrom(proc, "127.0.0.5")).toMatchObject({ status: 200 });
    await proc.stop();
    control.setDown(false);
  });

  it("fails closed when no bundle was ever verified", async () => {
    const proc = await start(path.join(dir, "never"), false);
    expect(version(proc)).toBe(0);
    expect(await connectFrom(proc, "127.0.0.2")).toEqual({ error: "CONNECT answered 403" });
    const readyz = await fetch(`http://127.0.0.1:${proc.gateway.metricsPort}/readyz`);
    expect(readyz.status).toBe(503);
    const metrics = await (
      await fetch(`http://127.0.0.1:${proc.gateway.metricsPort}/metrics`)
    ).text();
    expect(metrics).toContain(
      'ringfence_gateway_decisions_total{action="deny",kind="connection"} 1',
    );
    expect(metrics).toContain("ringfence_gateway_bundle_version 0");
    await proc.stop();
  });
});

describe("event shipping", () => {
  it("spools events while the control plane is down and sends them in order afterwards", async () => {
    const proc = await start(path.join(dir, "state"));
    const before = control.batches.flat().length;
    control.setDown(true);
    for (let i = 0; i < 3; i++) await connectFrom(proc, "127.0.0.9");
    const spool = path.join(dir, "state", "spool");
    await waitFor(async () => (await readdir(spool)).length > 0, "a spooled batch");

    control.setDown(false);
    await waitFor(
      () => control.batches.flat().filter((event) => event.src.ip === "127.0.0.9").length >= 3,
      "spooled events",
    );
    const shipped = control.batches.flat().slice(before);
    const times = shipped.map((event) => event.time);
    expect(times).toEqual([...times].sort());
    const ours = shipped.filter((event) => event.src.ip === "127.0.0.9");
    expect(ours.map((event) => event.action)).toEqual(["deny", "deny", "deny"]);
    await waitFor(async () => (await readdir(spool)).length === 0, "an empty spool");
    await proc.stop();
  });

  it("splits what it holds into batches within 1000 events and 1 MiB", async () => {
    const stateDir = path.join(dir, "batching");
    const proc = await runGateway(
      parseGatewayConfig({
        stateDir,
        listen: { proxy: { port: 0 }, metrics: { port: 0 } },
        controlPlane: {
          url: control.url,
          tokenFile: path.join(dir, "token"),
          allowInsecureLoopback: true,
          waitSeconds: 1,
        },
        // One flush at stop, so every event is in one queue far over 1 MiB.
        events: { batchSize: 1000, flushMs: 60_000 },
      }),
    );
    const before = control.batches.length;
    const long = `/${"a".repeat(8_000)}`;
    const refusals = 180;
    for (let i = 0; i < refusals; i++) {
      await rawExchange(
        proc.gateway.proxyPort,
        `GET http://denied.test${long}?n=${i} HTTP/1.1\r\nHost: denied.test\r\n\r\n`,
        "127.0.0.11",
      );
    }
    await proc.stop();

    const sent = control.batches.slice(before);
    const ours = sent.flat().filter((event) => event.src.ip === "127.0.0.11");
    expect(ours).toHaveLength(refusals);
    expect(sent.length).toBeGreaterThan(1);
    const sizes = sent.map((batch) => Buffer.byteLength(JSON.stringify({ events: batch })));
    expect(Math.max(...sizes)).toBeLessThanOrEqual(1024 * 1024);
    expect(control.oversized).toEqual([]);
    expect(await readdir(path.join(stateDir, "spool"))).toEqual([]);
  });
});
