import https from "node:https";
import net from "node:net";
import tls from "node:tls";
import type { PemPair } from "../src/tls/ca.ts";

/** One request as an upstream application received it. */
export type Received = { method: string; url: string; headers: Record<string, unknown> };

/**
 * A real HTTPS application on 127.0.0.1 that records every request. `/records` answers with a
 * social security number, anything else with a short JSON greeting.
 */
export async function startRecordingApp(leaf: PemPair): Promise<{
  port: number;
  received: Received[];
  close: () => void;
}> {
  const received: Received[] = [];
  const server = https.createServer({ cert: leaf.certPem, key: leaf.keyPem }, (req, res) => {
    received.push({ method: req.method ?? "", url: req.url ?? "", headers: { ...req.headers } });
    req.resume();
    req.on("end", () => {
      res.setHeader("content-type", "application/json");
      if (req.url?.startsWith("/records")) {
        res.end(JSON.stringify({ name: "Pat Doe", ssn: "219-09-9999", padding: "x".repeat(64) }));
        return;
      }
      res.end(JSON.stringify({ hello: "app" }));
    });
  });
  const port = await new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );
  return { port, received, close: () => server.close() };
}

/** What a real HTTPS client saw from the reverse proxy. */
export type Answer = { status: number; headers: Record<string, unknown>; body: string };

/**
 * A Node HTTPS client connecting to the reverse proxy on 127.0.0.1 from `localAddress`, with
 * the application's name as SNI and Host, trusting `ca`. The target is a literal address, so
 * no name is ever resolved.
 */
export function httpsToReverse(options: {
  port: number;
  ca: string;
  localAddress: string;
  path: string;
  method?: string;
  body?: string;
  headers?: Record<string, string>;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = https.request({
      host: "127.0.0.1",
      port: options.port,
      servername: "app.test",
      ca: options.ca,
      localAddress: options.localAddress,
      method: options.method ?? "GET",
      path: options.path,
      headers: { host: "app.test", ...options.headers },
      agent: false,
    });
    request.on("error", reject);
    request.on("response", (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.end(options.body);
  });
}

/** Sends raw bytes over TLS and returns everything received until the connection closes. */
export function rawTls(options: {
  port: number;
  ca: string;
  localAddress: string;
  bytes: string;
}): Promise<string> {
  return new Promise((resolve, reject) => {
    const plain = net.connect({
      host: "127.0.0.1",
      port: options.port,
      localAddress: options.localAddress,
    });
    const socket = tls.connect({ socket: plain, servername: "app.test", ca: options.ca });
    const chunks: Buffer[] = [];
    socket.on("secureConnect", () => socket.write(options.bytes));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("close", () => resolve(Buffer.concat(chunks).toString("latin1")));
    socket.on("error", (error) => {
      if (chunks.length > 0) resolve(Buffer.concat(chunks).toString("latin1"));
      else reject(error);
    });
    socket.setTimeout(5_000, () => socket.destroy());
  });
}
