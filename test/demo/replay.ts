/**
 * `pnpm demo`: replays the 2019 breach chain against Ringfence and prints a short report.
 *
 *   pnpm demo
 *     starts its own control plane, gateway, edge worker, S3 server and vulnerable app in a
 *     loopback-only network namespace (root needed), replays, stops everything;
 *   pnpm demo --control-plane URL --gateway HOST:PORT --app HOST:PORT --s3-public HOST:PORT \
 *             --s3-vpce HOST:PORT [--worker HOST:PORT] [--password P]
 *     replays against a running product (the run command's ready lines give these), from the
 *     namespace it runs in: the demo source addresses must be local there.
 */
import { networkInterfaces } from "node:os";
import { parseArgs } from "node:util";
import { DEMO_SOURCES } from "../../db/src/seed/demo-inventory.ts";
import { ControlPlaneApi } from "../e2e/api.ts";
import { isPending, publishDraft, waitForEnforcedVersion } from "../e2e/control.ts";
import { startMetadataWitness } from "../e2e/listeners.ts";
import { NAMESPACE_ADDRESSES as NET, reexecInNamespace } from "../e2e/netns.ts";
import {
  DEMO_PASSWORD,
  runDirectory,
  startControlPlane,
  startGateway,
  startS3,
  startWorker,
} from "../e2e/stack.ts";
import { startVulnerableApp } from "../vulnerable-app/app.ts";
import { printReport, replayChain, type Targets } from "./chain.ts";

const write = (line: string) => process.stdout.write(`${line}\n`);

function hostPort(flag: string, value: string | undefined): { host: string; port: number } {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(value ?? "");
  if (!match)
    throw new Error(`--${flag}: expected IPV4:PORT (a literal address), got ${value ?? "nothing"}`);
  return { host: match[1] ?? "", port: Number(match[2]) };
}

async function againstRunning(values: Record<string, string | undefined>): Promise<number> {
  const local = new Set(
    Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address)),
  );
  const missing = [...Object.values(DEMO_SOURCES), NET.attacker].filter((ip) => !local.has(ip));
  if (missing.length > 0) {
    throw new Error(
      `run inside the product's namespace: ${missing.join(", ")} are not local addresses`,
    );
  }
  const api = new ControlPlaneApi(values["control-plane"] ?? "");
  await api.signIn("demo@ringfence.local", values.password ?? DEMO_PASSWORD);
  const orgs = await api.expect<{ items: { id: string; slug: string }[] }>(
    200,
    "GET",
    "/api/v1/orgs",
  );
  const org = orgs.items.find((o) => o.slug === "acme");
  if (!org) throw new Error("the demo organisation (slug acme) is not in this control plane");
  const targets: Targets = {
    controlPlane: api,
    organizationId: org.id,
    gateway: hostPort("gateway", values.gateway),
    app: hostPort("app", values.app),
    s3Public: hostPort("s3-public", values["s3-public"]),
    s3VpcEndpoint: hostPort("s3-vpce", values["s3-vpce"]),
    worker: values.worker ? hostPort("worker", values.worker) : undefined,
  };
  return printReport(await replayChain(targets), write);
}

async function selfContained(): Promise<number> {
  reexecInNamespace([...Object.values(DEMO_SOURCES), ...Object.values(NET)]);
  const run = runDirectory();
  const stops: (() => Promise<void>)[] = [];
  try {
    const metadata = await startMetadataWitness(NET.metadata);
    stops.push(metadata.close);
    const s3 = await startS3();
    stops.push(s3.close);
    const cp = await startControlPlane(run.dir);
    stops.push(cp.process.stop);
    const version = await publishDraft(cp);
    if (isPending(version)) throw new Error(`cannot publish: ${version.pending}`);
    const gateway = await startGateway(run.dir, cp);
    stops.push(gateway.process.stop);
    await waitForEnforcedVersion(cp, gateway.enforcerName, version);
    const app = await startVulnerableApp({
      host: DEMO_SOURCES.webApp,
      port: 8080,
      egressProxy: gateway.proxy,
      sourceAddress: DEMO_SOURCES.webApp,
    });
    stops.push(app.close);
    const worker = await startWorker(run.dir, cp, app.url).catch((error: unknown) => {
      write(`edge worker not started, WAF leg left out: ${String(error).split("\n")[0]}`);
      return undefined;
    });
    if (worker) stops.push(worker.stop);
    const edge = worker ? new URL(worker.url) : undefined;
    const results = await replayChain({
      controlPlane: cp.api,
      organizationId: cp.organizationId,
      gateway: gateway.proxy,
      app: { host: DEMO_SOURCES.webApp, port: 8080 },
      s3Public: { host: NET.s3Public, port: 80 },
      s3VpcEndpoint: { host: NET.s3VpcEndpoint, port: 80 },
      worker: edge ? { host: edge.hostname, port: Number(edge.port) } : undefined,
    });
    results.push({
      step: "a  connections to the metadata address",
      ok: metadata.seen.length === 0,
      detail: `${metadata.seen.length}`,
    });
    return printReport(results, write);
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    run.cleanup();
  }
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      "control-plane": { type: "string" },
      gateway: { type: "string" },
      app: { type: "string" },
      "s3-public": { type: "string" },
      "s3-vpce": { type: "string" },
      worker: { type: "string" },
      password: { type: "string" },
    },
    strict: true,
  });
  return values["control-plane"] ? againstRunning(values) : selfContained();
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
