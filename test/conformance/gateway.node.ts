/**
 * Runner (b)'s harness: the real Node gateway as a forward proxy on loopback, enforcing the
 * corpus policy as a signed bundle it registered for and pulled from a control plane. Each
 * request arrives over a PROXY protocol v2 header from 127.0.0.1, a trusted hop, so the gateway
 * decides on the case's own source address; https goes through CONNECT (forwarding mode splices,
 * proxy mode is intercepted and inspected), http in absolute form. The upstream listens on the
 * real ports 443 and 80 of a loopback address of its own, which the gateway's static resolver
 * names for every corpus host and its egress allowlist admits.
 */
import { randomInt } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import tls from "node:tls";
import type { DecisionEvent } from "@ringfence/engine/documents";
import type { ResolvedPolicy } from "@ringfence/engine/policy";
import {
  parseGatewayConfig,
  runGateway,
  type SingleProcess,
} from "../../edge/gateway/src/index.ts";
import { createCa, issueLeaf, loadCa, type PemPair } from "../../edge/gateway/src/tls/ca.ts";
import { startControlPlane, type TestControlPlane } from "../../edge/gateway/test/control-plane.ts";
import type { CorpusCase, CorpusOrigin, Outcome } from "./corpus.ts";
import { proxyV2Header } from "./proxy-v2.node.ts";

/** What the client saw: whether the gateway let the exchange complete, and how it ended. */
interface Seen {
  refused: boolean;
  how: string;
}

/** A gateway enforcing one corpus file's policy (or, without one, no bundle at all). */
export interface GatewayUnderTest {
  outcome(testCase: CorpusCase): Promise<Outcome & { seen: Seen }>;
  close(): Promise<void>;
}

/** The loopback upstream: every corpus host on ports 443 (TLS) and 80, answering per case. */
interface Upstream {
  address: string;
  ca: PemPair;
  answer: CorpusOrigin | undefined;
  close(): Promise<void>;
}

async function startUpstream(): Promise<Upstream> {
  // A loopback address of its own, so ports 443 and 80 cannot clash with anything else.
  const address = `127.${randomInt(64, 250)}.${randomInt(1, 250)}.${randomInt(2, 250)}`;
  const ca = await createCa("Conformance upstream CA");
  const authority = await loadCa(ca);
  const leaves = new Map<string, Promise<tls.SecureContext>>();
  const contextFor = (name: string) => {
    let leaf = leaves.get(name);
    if (!leaf) {
      leaf = issueLeaf(authority, { hosts: [name] }).then((pem) =>
        tls.createSecureContext({ cert: pem.certPem, key: pem.keyPem }),
      );
      leaves.set(name, leaf);
    }
    return leaf;
  };
  const upstream: Upstream = { address, ca, answer: undefined, close: async () => undefined };
  const serve = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const answer = upstream.answer ?? {
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ method: req.method, path: req.url, host: req.headers.host }),
      };
      res.writeHead(answer.status, { "content-type": answer.contentType });
      res.end(answer.body);
    });
  };
  const secure = https.createServer(
    {
      SNICallback: (name, done) => {
        contextFor(name).then(
          (context) => done(null, context),
          (error: Error) => done(error),
        );
      },
    },
    serve,
  );
  const plain = http.createServer(serve);
  await Promise.all([listenOn(secure, address, 443), listenOn(plain, address, 80)]);
  upstream.close = async () => {
    for (const server of [secure, plain]) server.closeAllConnections();
    await Promise.all([secure, plain].map((s) => new Promise((done) => s.close(done))));
  };
  return upstream;
}

function listenOn(server: net.Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", (error) =>
      reject(new Error(`the conformance upstream needs ${host}:${port}: ${error.message}`)),
    );
    server.listen(port, host, resolve);
  });
}

/**
 * Starts a gateway for `policy` (published before the gateway starts, so it is enforced once
 * the first poll verifies it) or, with `undefined`, a gateway whose control plane holds nothing.
 */
export async function startGatewayUnderTest(
  policy: ResolvedPolicy | undefined,
  hosts: readonly string[],
): Promise<GatewayUnderTest> {
  const upstream = await startUpstream();
  const control = await startControlPlane();
  const dir = await mkdtemp(path.join(os.tmpdir(), "rf-conformance-gw-"));
  const file = (name: string, text: string) => writeFile(path.join(dir, name), text);
  const orgCa = await createCa("Conformance organisation CA");
  await file("token", "rfr_conformance-token");
  await file("upstream-ca.pem", upstream.ca.certPem);
  await file("org-ca.pem", orgCa.certPem);
  await file("org-ca.key", orgCa.keyPem);
  if (policy) await control.publish(policy as unknown as Record<string, unknown>);

  const gateway = await runGateway(
    parseGatewayConfig({
      stateDir: path.join(dir, "state"),
      listen: { proxy: { port: 0 }, metrics: { port: 0 } },
      controlPlane: {
        url: control.url,
        tokenFile: path.join(dir, "token"),
        allowInsecureLoopback: true,
        waitSeconds: 1,
      },
      resolver: {
        kind: "static",
        hosts: Object.fromEntries(hosts.map((host) => [host, [upstream.address]])),
      },
      egress: { allow: [`${upstream.address}/32`] },
      upstreamCaFile: path.join(dir, "upstream-ca.pem"),
      orgCa: { certFile: path.join(dir, "org-ca.pem"), keyFile: path.join(dir, "org-ca.key") },
      trustedHops: { cidrs: ["127.0.0.1/32"], proxyProtocol: true },
      events: { flushMs: 50 },
      shutdownGraceMs: 1_000,
    }),
  );
  if (policy) await waitFor(() => gateway.gateway.context.policy.current.version > 0, "bundle");

  const trust = [upstream.ca.certPem, orgCa.certPem];
  return {
    async outcome(testCase) {
      const before = shipped(control).length;
      upstream.answer = testCase.origin;
      const seen = await send(gateway, testCase, trust);
      const events = await settledEvents(control, before);
      return { ...outcomeOf(events), seen };
    },
    async close() {
      await gateway.stop();
      await control.close();
      await upstream.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

function shipped(control: TestControlPlane): DecisionEvent[] {
  return control.batches.flat();
}

/** The events of one case: waits until some arrived and no more came for a while. */
async function settledEvents(control: TestControlPlane, before: number): Promise<DecisionEvent[]> {
  let count = before;
  let quietSince = Date.now();
  const deadline = Date.now() + 8_000;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    const now = shipped(control).length;
    if (now !== count) {
      count = now;
      quietSince = Date.now();
    } else if (count > before && Date.now() - quietSince >= 250) break;
  }
  return shipped(control).slice(before);
}

/** Any denying event denies; the last event names the deciding rule. */
function outcomeOf(events: DecisionEvent[]): Outcome {
  const detections = events
    .flatMap((event) => event.detections ?? [])
    .filter((detection) => detection.action === "deny")
    .map((detection) => detection.id);
  return {
    action: events.length > 0 && events.every((e) => e.action !== "deny") ? "allow" : "deny",
    ruleId: events.at(-1)?.reasons.ruleId ?? null,
    detections,
  };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for the gateway's ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** A connection to the gateway that first names the case's client in a PROXY v2 header. */
function connectAs(gateway: SingleProcess, srcIp: string): net.Socket {
  const socket = net.connect({ host: "127.0.0.1", port: gateway.gateway.proxyPort });
  socket.write(proxyV2Header(srcIp, 40_000 + randomInt(20_000)));
  return socket;
}

function send(gateway: SingleProcess, testCase: CorpusCase, trust: string[]): Promise<Seen> {
  const url = new URL(testCase.request.url);
  const socket = connectAs(gateway, testCase.request.srcIp);
  if (url.protocol === "http:") {
    return exchange(socket, testCase, url.href);
  }
  return new Promise((resolve) => {
    const port = url.port === "" ? 443 : Number(url.port);
    const connect = http.request({
      method: "CONNECT",
      path: `${url.hostname}:${port}`,
      headers: { host: `${url.hostname}:${port}` },
      // Without an `agent`, Node's client writes on the socket given here.
      createConnection: () => socket,
    });
    connect.on("error", (error) => resolve({ refused: true, how: `CONNECT ${error.message}` }));
    connect.on("connect", (answer, tunnel) => {
      if (answer.statusCode !== 200) {
        tunnel.destroy();
        resolve({ refused: true, how: `CONNECT answered ${answer.statusCode}` });
        return;
      }
      // Like curl, the client sends the name without a trailing dot as SNI.
      const servername = url.hostname.replace(/\.$/, "");
      const secure = tls.connect({
        socket: tunnel,
        servername,
        ca: trust,
        ALPNProtocols: ["http/1.1"],
      });
      secure.once("error", (error) => resolve({ refused: true, how: `TLS ${error.message}` }));
      secure.once("secureConnect", () => {
        exchange(secure, testCase, `${url.pathname}${url.search}`).then(resolve);
      });
    });
    connect.end();
  });
}

/** One HTTP/1.1 request on an established stream; a cut or refused response counts as refused. */
function exchange(stream: net.Socket, testCase: CorpusCase, target: string): Promise<Seen> {
  const { request } = testCase;
  const url = new URL(request.url);
  return new Promise((resolve) => {
    const outgoing = http.request({
      method: request.method,
      path: target,
      headers: { ...request.headers, host: url.host, connection: "close" },
      createConnection: () => stream,
    });
    outgoing.on("error", (error) => resolve({ refused: true, how: `request ${error.message}` }));
    outgoing.on("response", (response) => {
      const status = response.statusCode ?? 0;
      response.on("data", () => undefined);
      response.on("error", () => resolve({ refused: true, how: `${status} cut off` }));
      response.on("aborted", () => resolve({ refused: true, how: `${status} cut off` }));
      response.on("end", () => {
        const complete = response.complete;
        resolve({
          refused: status !== 200 || !complete,
          how: `${status}${complete ? "" : " cut off"}`,
        });
      });
    });
    outgoing.end(request.body === "" ? undefined : request.body);
  });
}
