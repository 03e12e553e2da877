import http from "node:http";
import https from "node:https";
import type net from "node:net";
import tls from "node:tls";
import { createCa, issueLeaf, loadCa, type PemPair } from "../src/tls/ca.ts";

/** A test PKI generated at test time: an upstream CA with a leaf, and an organisation CA. */
export type TestPki = { upstreamCa: PemPair; upstreamLeaf: PemPair; orgCa: PemPair };

export async function makePki(hosts: string[]): Promise<TestPki> {
  const upstreamCa = await createCa("Upstream Test CA");
  const upstreamLeaf = await issueLeaf(await loadCa(upstreamCa), { hosts });
  return { upstreamCa, upstreamLeaf, orgCa: await createCa("Org Test CA") };
}

/** A real HTTPS upstream on 127.0.0.1 answering with what it saw. */
export async function startHttpsUpstream(
  leaf: PemPair,
): Promise<{ port: number; close: () => void }> {
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      res.end(
        JSON.stringify({
          method: req.method,
          url: req.url,
          host: req.headers.host,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
  return { port, close: () => server.close() };
}

/** What a client saw through the gateway. */
export type ClientResult = { status: number; body: string; issuer: string } | { error: string };

/**
 * A Node HTTPS client going through the gateway with CONNECT from `localAddress`, trusting
 * `ca`. The issuer of the certificate the client saw tells forwarding from proxy mode.
 */
export function httpsViaConnect(options: {
  gatewayPort: number;
  authority: string;
  servername?: string;
  hostHeader?: string;
  ca: string;
  localAddress: string;
  path?: string;
}): Promise<ClientResult> {
  return new Promise((resolve) => {
    const connect = http.request({
      host: "127.0.0.1",
      port: options.gatewayPort,
      method: "CONNECT",
      path: options.authority,
      localAddress: options.localAddress,
      agent: false,
    });
    connect.on("error", (error) => resolve({ error: error.message }));
    connect.on("response", (res) => {
      res.socket.destroy();
      resolve({ error: `CONNECT answered ${res.statusCode}` });
    });
    connect.on("connect", (res, socket) => {
      if (res.statusCode !== 200) return resolve({ error: `CONNECT answered ${res.statusCode}` });
      const secure = tls.connect({
        socket,
        servername: options.servername,
        ca: options.ca,
        ALPNProtocols: ["http/1.1"],
      });
      secure.on("error", (error) => resolve({ error: error.message }));
      secure.on("secureConnect", () => {
        const issuer = String(secure.getPeerCertificate().issuer?.CN ?? "");
        // The request is written by hand on the TLS socket, so no client library can decide to
        // resolve the host name itself.
        const host = options.hostHeader ?? options.servername ?? "";
        secure.write(
          `GET ${options.path ?? "/hello"} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`,
        );
        const chunks: Buffer[] = [];
        secure.on("data", (chunk: Buffer) => chunks.push(chunk));
        secure.on("close", () => resolve(parseResponse(Buffer.concat(chunks).toString(), issuer)));
      });
    });
    connect.end();
  });
}

function parseResponse(text: string, issuer: string): ClientResult {
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0);
  if (status === 0) return { error: `no HTTP response: ${JSON.stringify(text.slice(0, 200))}` };
  const [head = "", ...rest] = text.split("\r\n\r\n");
  const raw = rest.join("\r\n\r\n");
  const body = /transfer-encoding: chunked/i.test(head) ? dechunk(raw) : raw;
  return { status, body, issuer };
}

function dechunk(raw: string): string {
  let out = "";
  let rest = raw;
  for (;;) {
    const line = rest.indexOf("\r\n");
    const size = Number.parseInt(rest.slice(0, line), 16);
    if (!(size > 0)) return out;
    out += rest.slice(line + 2, line + 2 + size);
    rest = rest.slice(line + 4 + size);
  }
}
