import http from "node:http";

/** What a raw request got back; `aborted` when the connection ended before the body did. */
export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  aborted: boolean;
}

export interface RawRequest {
  /** Where the TCP connection goes: a server or a forward proxy. */
  connect: { host: string; port: number };
  /** The source address to bind, so the far end sees the demo source's address. */
  from?: string;
  method?: string;
  /** Origin-form path, or an absolute URL when talking to a forward proxy. */
  target: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
}

/**
 * One HTTP/1.1 request from a chosen source address, without DNS (the connection goes to a
 * literal address) and without any proxy settings of the environment. A response cut off
 * mid-body resolves with `aborted: true` and the bytes that did arrive, because that is an
 * answer the replay asserts on.
 */
export function rawRequest(request: RawRequest): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: request.connect.host,
      port: request.connect.port,
      localAddress: request.from,
      method: request.method ?? "GET",
      path: request.target,
      headers: request.headers,
      agent: false,
      timeout: request.timeoutMs ?? 60_000,
    });
    req.on("timeout", () => req.destroy(new Error(`no answer from ${request.target} in time`)));
    req.on("error", reject);
    req.on("response", (res) => {
      const chunks: Buffer[] = [];
      let done = false;
      const finish = (aborted: boolean) => {
        if (done) return;
        done = true;
        const headers = res.headers;
        resolve({ status: res.statusCode ?? 0, headers, body: Buffer.concat(chunks), aborted });
      };
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () => finish(!res.complete));
      res.on("aborted", () => finish(true));
      res.on("error", () => finish(true));
      res.on("close", () => finish(!res.complete));
    });
    req.end(request.body);
  });
}

/** A SigV4-shaped Authorization header naming the access key (the S3 server reads only that). */
export function sigv4Header(accessKeyId: string, region = "us-east-1"): string {
  const day = new Date().toISOString().slice(0, 10).replaceAll("-", "");
  return `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${day}/${region}/s3/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`;
}
