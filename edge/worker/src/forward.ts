import { ORIGIN_SIGNATURE_HEADER, signOriginRequest } from "./origin/signature.ts";

/** Headers that describe one hop and are never passed on (RFC 9110 section 7.6.1). */
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

export interface ForwardInput {
  request: Request;
  /** The request's URL, when the caller has already parsed it. */
  url?: URL;
  /** The body to send: the bytes already read for inspection, or the request's own stream. */
  body: BodyInit | null;
  originUrl: URL;
  originKey: CryptoKey;
  requestId: string;
  clientIp: string;
  now?: () => number;
}

/**
 * The request the origin receives: the client's path under the origin's base path, the
 * client's end-to-end headers, the forwarding headers and the lock-down signature. Any
 * signature header the client sent is replaced, so it can never be smuggled through.
 */
export async function buildOriginRequest(input: ForwardInput): Promise<Request> {
  const incoming = input.url ?? new URL(input.request.url);
  const target = new URL(input.originUrl);
  target.pathname = `${input.originUrl.pathname.replace(/\/+$/, "")}${incoming.pathname}`;
  target.search = incoming.search;

  const headers = new Headers();
  for (const [name, value] of input.request.headers) {
    if (!HOP_BY_HOP.has(name) && !name.startsWith("cf-") && name !== ORIGIN_SIGNATURE_HEADER) {
      headers.set(name, value);
    }
  }
  headers.set("x-forwarded-host", incoming.host);
  headers.set("x-forwarded-proto", incoming.protocol.replace(":", ""));
  headers.set("x-forwarded-for", input.clientIp);
  headers.set("x-request-id", input.requestId);

  const signature = await signOriginRequest(input.originKey, {
    method: input.request.method,
    host: target.host,
    path: `${target.pathname}${target.search}`,
    timestamp: Math.floor((input.now ?? Date.now)() / 1000),
    requestId: input.requestId,
  });
  headers.set(ORIGIN_SIGNATURE_HEADER, signature);

  const hasBody = input.request.method !== "GET" && input.request.method !== "HEAD";
  return new Request(target, {
    method: input.request.method,
    headers,
    body: hasBody ? input.body : null,
    redirect: "manual",
  });
}
