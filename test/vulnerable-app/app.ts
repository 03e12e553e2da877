import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A deliberately vulnerable web application for the breach replay, modelled on the 2019 one: its
 * `/preview?url=` endpoint fetches whatever URL it is given and returns the answer, with no
 * check at all. That is the SSRF. It never connects anywhere itself: every fetch goes as an
 * absolute-form request to the egress proxy it is configured with (the Ringfence gateway),
 * from the instance's own address, so the proxy decides and the app resolves no names.
 */

export interface VulnerableAppOptions {
  /** Where to listen (the address the edge worker forwards to). */
  host: string;
  port: number;
  /** The egress proxy every outbound fetch goes through. Required: there is no direct path. */
  egressProxy: { host: string; port: number };
  /** The instance's address, bound as the source of outbound fetches. */
  sourceAddress?: string;
}

export interface RunningVulnerableApp {
  url: string;
  /** Every URL the app was asked to fetch, in order, as it received them. */
  fetched: string[];
  close(): Promise<void>;
}

const MAX_PREVIEW_BYTES = 1_048_576;

/** Fetches `target` through the proxy and returns the proxy's (or upstream's) answer verbatim. */
function fetchThroughProxy(
  options: VulnerableAppOptions,
  target: URL,
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: options.egressProxy.host,
      port: options.egressProxy.port,
      localAddress: options.sourceAddress,
      method: "GET",
      path: target.href,
      headers: { host: target.host },
      agent: false,
      timeout: 30_000,
    });
    req.on("timeout", () => req.destroy(new Error("the egress proxy did not answer in time")));
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_PREVIEW_BYTES) chunks.push(chunk);
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 502, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    req.end();
  });
}

async function preview(
  options: VulnerableAppOptions,
  fetched: string[],
  url: URL,
  res: http.ServerResponse,
): Promise<void> {
  const raw = url.searchParams.get("url") ?? "";
  fetched.push(raw);
  let target: URL;
  try {
    target = new URL(raw);
  } catch {
    res.writeHead(400, { "content-type": "text/plain" }).end("url: not a URL\n");
    return;
  }
  if (target.protocol !== "http:") {
    res.writeHead(400, { "content-type": "text/plain" }).end("url: only http:// previews\n");
    return;
  }
  try {
    const answer = await fetchThroughProxy(options, target);
    res
      .writeHead(200, { "content-type": "text/plain", "x-upstream-status": String(answer.status) })
      .end(answer.body);
  } catch (error) {
    res.writeHead(502, { "content-type": "text/plain" }).end(`fetch failed: ${String(error)}\n`);
  }
}

/** Starts the app; it answers `/` with a page and `/preview?url=` with the fetched content. */
export async function startVulnerableApp(
  options: VulnerableAppOptions,
): Promise<RunningVulnerableApp> {
  const fetched: string[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://app.invalid");
    if (url.pathname === "/preview") {
      preview(options, fetched, url, res).catch(() => res.destroy());
      return;
    }
    res.writeHead(200, { "content-type": "text/html" }).end("<h1>Acme link preview</h1>\n");
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject).listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host}:${port}`,
    fetched,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
