import http from "node:http";
import https from "node:https";
import net from "node:net";
import type { Duplex } from "node:stream";
import tls from "node:tls";
import { resolvePolicy } from "@ringfence/engine/policy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compilePolicy, PolicyHolder } from "../src/engine/policy.ts";
import { rulesPolicy, startTestGateway } from "./helpers.ts";
import { makePki, startHttpsUpstream, type TestPki } from "./tls-helpers.ts";

// A connection reuses its last decision for a repeated request. These tests hold one client
// connection open across requests and show the reuse never outlives what it depends on: a
// policy swapped in mid-connection, or another path on the same connection.

const HOST = "api.test";
const hosts = { [HOST]: ["127.0.0.1"] };

/** api.test/reports in proxy mode for 127.0.0.1, nothing else (path-scoped service). */
const reportsOnly = (version: number) =>
  compilePolicy(
    resolvePolicy(
      {
        schemaVersion: 1,
        objects: [{ id: "me", kind: "static", addresses: ["127.0.0.1/32"] }],
        services: [{ id: "reports", kind: "fqdn", hosts: [HOST], pathPrefixes: ["/reports"] }],
        ruleSets: [
          {
            id: "egress",
            defaultAction: "deny",
            rules: [
              {
                id: "reports",
                sources: ["me"],
                destinations: ["reports"],
                action: "allow",
                mode: "proxy",
              },
            ],
          },
        ],
        profiles: [],
      },
      { schemaVersion: 1, assets: [] },
    ),
    version,
  );

/** Sends requests one at a time on one connection and reads each complete response. */
function session(stream: Duplex) {
  let buffered = Buffer.alloc(0);
  let wake: (() => void) | undefined;
  let closed = false;
  stream.on("data", (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    wake?.();
  });
  stream.on("close", () => {
    closed = true;
    wake?.();
  });
  const complete = (): { status: number; length: number } | undefined => {
    const end = buffered.indexOf("\r\n\r\n");
    if (end === -1) return undefined;
    const head = buffered.subarray(0, end).toString("latin1");
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? Number.NaN);
    if (Number.isNaN(length)) throw new Error(`response without a length: ${head}`);
    if (buffered.length < end + 4 + length) return undefined;
    return { status: Number(head.slice(9, 12)), length: end + 4 + length };
  };
  return async (request: string): Promise<number> => {
    stream.write(request);
    for (;;) {
      const response = complete();
      if (response) {
        buffered = buffered.subarray(response.length);
        return response.status;
      }
      if (closed) throw new Error("connection closed before a complete response");
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
}

let pki: TestPki;
let upstream: Awaited<ReturnType<typeof startHttpsUpstream>>;
let plain: http.Server;
let plainPort = 0;

beforeAll(async () => {
  pki = await makePki([HOST]);
  upstream = await startHttpsUpstream(pki.upstreamLeaf);
  plain = http.createServer((_req, res) => res.end("plain"));
  plain.keepAliveTimeout = 10_000;
  plainPort = await new Promise<number>((resolve) =>
    plain.listen(0, "127.0.0.1", () => resolve((plain.address() as net.AddressInfo).port)),
  );
});
afterAll(() => {
  upstream.close();
  plain.close();
});

/** Opens CONNECT + TLS through the gateway to api.test and returns the request sender. */
async function intercepted(proxyPort: number, upstreamPort = upstream.port) {
  const raw = net.connect(proxyPort, "127.0.0.1");
  await new Promise((resolve) => raw.once("connect", resolve));
  raw.write(`CONNECT ${HOST}:${upstreamPort} HTTP/1.1\r\nHost: ${HOST}:${upstreamPort}\r\n\r\n`);
  const answer = await new Promise<Buffer>((resolve) => raw.once("data", resolve));
  expect(answer.toString()).toMatch(/^HTTP\/1\.1 200/);
  const secure = tls.connect({ socket: raw, servername: HOST, ca: pki.orgCa.certPem });
  await new Promise((resolve) => secure.once("secureConnect", resolve));
  return { send: session(secure), close: () => secure.destroy() };
}

const get = (path: string) => `GET ${path} HTTP/1.1\r\nHost: ${HOST}\r\n\r\n`;

describe("decision reuse on an intercepted connection", () => {
  it("decides again after a policy swap, so the same request on the connection is refused", async () => {
    const holder = new PolicyHolder(reportsOnly(1));
    const gateway = await startTestGateway({
      hosts,
      orgCa: pki.orgCa,
      upstreamCa: [pki.upstreamCa.certPem],
      policy: holder,
    });
    const client = await intercepted(gateway.proxyPort);
    try {
      expect(await client.send(get("/reports/q3"))).toBe(200);
      expect(await client.send(get("/reports/q3"))).toBe(200);
      holder.swap(rulesPolicy([{ id: "elsewhere", src: ["127.0.0.9"], host: HOST }], 2));
      expect(await client.send(get("/reports/q3"))).toBe(403);
      expect(gateway.events.at(-1)).toMatchObject({ kind: "request", action: "deny" });
      expect(gateway.events.filter((event) => event.kind === "request")).toHaveLength(3);
    } finally {
      client.close();
      await gateway.close(100);
    }
  });

  it("decides each path on its own, so an allowed path does not carry over to another", async () => {
    const gateway = await startTestGateway({
      hosts,
      orgCa: pki.orgCa,
      upstreamCa: [pki.upstreamCa.certPem],
      policy: new PolicyHolder(reportsOnly(1)),
    });
    const client = await intercepted(gateway.proxyPort);
    try {
      expect(await client.send(get("/reports/q3"))).toBe(200);
      expect(await client.send(get("/reports/q3?page=2"))).toBe(200);
      expect(await client.send(get("/admin"))).toBe(403);
      expect(gateway.events.at(-1)).toMatchObject({ action: "deny", reasons: { default: true } });
    } finally {
      client.close();
      await gateway.close(100);
    }
  });
});

describe("upstream connection reuse on an intercepted connection", () => {
  it("keeps its upstream connection when the Host header changes case", async () => {
    // undici would take a server name from each Host header and redial when it changed; the
    // gateway names the host its pool verifies, so a case change costs no new TLS handshake.
    const counting = https.createServer(
      { cert: pki.upstreamLeaf.certPem, key: pki.upstreamLeaf.keyPem },
      (_req, res) => res.end("counted"),
    );
    let connections = 0;
    counting.on("secureConnection", () => {
      connections += 1;
    });
    const port = await new Promise<number>((resolve) =>
      counting.listen(0, "127.0.0.1", () => resolve((counting.address() as net.AddressInfo).port)),
    );
    const gateway = await startTestGateway({
      hosts,
      orgCa: pki.orgCa,
      upstreamCa: [pki.upstreamCa.certPem],
      policy: new PolicyHolder(reportsOnly(1)),
    });
    const client = await intercepted(gateway.proxyPort, port);
    try {
      for (const host of [HOST, HOST.toUpperCase(), HOST, "Api.Test"]) {
        expect(await client.send(`GET /reports/q3 HTTP/1.1\r\nHost: ${host}\r\n\r\n`)).toBe(200);
      }
      expect(connections).toBe(1);
      expect(gateway.events.filter((event) => event.kind === "request")).toHaveLength(4);
    } finally {
      client.close();
      counting.close();
      await gateway.close(100);
    }
  });
});

describe("decision reuse on an absolute-form connection", () => {
  it("decides again after a policy swap and for another target on the connection", async () => {
    const allow = rulesPolicy([{ id: "plain", src: ["127.0.0.1"], host: HOST }], 1);
    const holder = new PolicyHolder(allow);
    const gateway = await startTestGateway({ hosts, policy: holder });
    const socket = net.connect(gateway.proxyPort, "127.0.0.1");
    const send = session(socket);
    const target = (path: string, host = HOST) =>
      `GET http://${host}:${plainPort}${path} HTTP/1.1\r\nHost: ${host}:${plainPort}\r\n\r\n`;
    try {
      expect(await send(target("/a"))).toBe(200);
      expect(await send(target("/a"))).toBe(200);
      holder.swap(rulesPolicy([{ id: "elsewhere", src: ["127.0.0.9"], host: HOST }], 2));
      expect(await send(target("/a"))).toBe(403);

      holder.swap(allow);
      const again = net.connect(gateway.proxyPort, "127.0.0.1");
      const sendAgain = session(again);
      expect(await sendAgain(target("/a"))).toBe(200);
      expect(await sendAgain(target("/a", "other.test"))).toBe(403);
      again.destroy();
    } finally {
      socket.destroy();
      await gateway.close(100);
    }
  });
});
