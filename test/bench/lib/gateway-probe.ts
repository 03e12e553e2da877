import http from "node:http";

/** Reads `ringfence_gateway_bundle_version` from the gateway's loopback metrics listener. */
export async function bundleVersion(metricsPort: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
    signal: AbortSignal.timeout(2000),
  });
  const text = await res.text();
  const line = /^ringfence_gateway_bundle_version(?:\{[^}]*\})?\s+(\S+)/m.exec(text);
  return line?.[1] ? Number(line[1]) : -1;
}

/**
 * Sends one absolute-form GET through the gateway's proxy listener to `host:port` and resolves
 * with the status it answered (the backend's 200, or the gateway's refusal).
 */
export function proxiedStatus(proxyPort: number, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: "127.0.0.1",
      port: proxyPort,
      method: "GET",
      path: `http://${host}:${port}/`,
      headers: { host: `${host}:${port}`, connection: "close" },
      agent: false,
      timeout: 5000,
    });
    req.once("response", (res) => {
      res.resume();
      res.once("end", () => resolve(res.statusCode ?? 0));
    });
    req.once("timeout", () => req.destroy(new Error("proxied request timed out")));
    // `on`, not `once`: a timeout's destroy and the hang-up that follows are two error events.
    req.on("error", reject);
    req.end();
  });
}
