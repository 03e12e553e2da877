import { isIP } from "node:net";
import type { Readable } from "node:stream";
import { checkUrlResolving } from "@ringfence/engine/ssrf";
import { Agent, type Dispatcher, request as undiciRequest } from "undici";
import { type GuardedFetchOptions, OutboundBlockedError } from "../outbound.ts";

/** The parts of the SDK's HttpRequest (`@smithy/types`) a handler needs to send it. */
interface SdkRequest {
  method: string;
  protocol: string;
  hostname: string;
  port?: number;
  path: string;
  query?: Record<string, string | (string | null)[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/** The SDK's HttpResponse: status, lower-case headers and a Node stream it reads itself. */
interface SdkResponse {
  statusCode: number;
  reason?: string;
  headers: Record<string, string>;
  body: Readable;
}

/** Escapes like the SDK's signer does (RFC 3986 unreserved only), so the wire and signature agree. */
const escapeRfc3986 = (value: string) =>
  encodeURIComponent(value).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

function queryString(query: SdkRequest["query"]): string {
  const parts: string[] = [];
  for (const key of Object.keys(query ?? {}).sort()) {
    const value = query?.[key];
    const values = Array.isArray(value) ? value : [value];
    for (const item of values) {
      parts.push(
        item === null || item === undefined
          ? escapeRfc3986(key)
          : `${escapeRfc3986(key)}=${escapeRfc3986(item)}`,
      );
    }
  }
  return parts.length > 0 ? `?${parts.join("&")}` : "";
}

function urlOf(request: SdkRequest): string {
  const scheme = request.protocol.endsWith(":") ? request.protocol : `${request.protocol}:`;
  const bare = request.hostname.includes(":") && !request.hostname.startsWith("[");
  const host = bare ? `[${request.hostname}]` : request.hostname;
  const port = request.port ? `:${request.port}` : "";
  return `${scheme}//${host}${port}${request.path}${queryString(request.query)}`;
}

/** undici sends `expect` itself never; the SDK adds it only to uploads, which discovery makes none of. */
const DROPPED_HEADERS = new Set(["expect", "transfer-encoding", "connection"]);

function headersOf(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined)
      out[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return out;
}

/**
 * The AWS SDK's request handler for every call discovery makes (STS, EC2, S3). Each request's
 * URL is judged by the SSRF guard in resolving mode first, whatever produced it (a configured
 * endpoint, the SDK's regional endpoint resolution, a bucket's region); a refusal throws
 * `OutboundBlockedError` before any socket is opened. An allowed request is sent over a
 * connection pinned to the address the guard judged (one agent per judged address, whose
 * lookup can answer nothing else), so no second lookup can rebind the name. TLS still checks
 * the certificate against the URL's host name.
 */
export class GuardedAwsHandler {
  readonly #options: GuardedFetchOptions;
  readonly #agents = new Map<string, Agent>();

  constructor(options: GuardedFetchOptions) {
    this.#options = options;
  }

  async handle(
    request: SdkRequest,
    options?: { abortSignal?: unknown; requestTimeout?: number },
  ): Promise<{ response: SdkResponse }> {
    const url = urlOf(request);
    const verdict = await checkUrlResolving(url, {
      resolver: this.#options.resolver,
      allow: this.#options.allow,
    });
    if (verdict.verdict !== "allow" || !verdict.address) {
      throw new OutboundBlockedError(url, verdict.reason);
    }
    const headers = Object.fromEntries(
      Object.entries(request.headers).filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())),
    );
    const signal = options?.abortSignal instanceof AbortSignal ? options.abortSignal : undefined;
    const answer = await undiciRequest(url, {
      method: request.method as Dispatcher.HttpMethod,
      headers,
      body: request.body as Dispatcher.DispatchOptions["body"],
      dispatcher: this.#agentFor(verdict.address),
      ...(signal ? { signal } : {}),
      ...(options?.requestTimeout ? { headersTimeout: options.requestTimeout } : {}),
    });
    return {
      response: {
        statusCode: answer.statusCode,
        headers: headersOf(answer.headers),
        body: answer.body,
      },
    };
  }

  #agentFor(address: string): Agent {
    const known = this.#agents.get(address);
    if (known) return known;
    const family = isIP(address) === 6 ? 6 : 4;
    const agent = new Agent({
      connect: {
        ...(this.#options.ca ? { ca: this.#options.ca } : {}),
        lookup: (_host, _opts, callback) => callback(null, [{ address, family }]),
      },
    });
    this.#agents.set(address, agent);
    return agent;
  }

  /** Closes the pinned connections; the SDK calls it from `client.destroy()`. */
  destroy(): void {
    for (const agent of this.#agents.values()) void agent.close();
    this.#agents.clear();
  }

  updateHttpClientConfig(): void {
    // Nothing of the SDK's per-client HTTP configuration applies: the guard decides the socket.
  }

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }
}
