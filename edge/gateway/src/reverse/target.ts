/** A request target reduced to what routing and forwarding use. */
export type RequestPath =
  | { kind: "path"; pathname: string; search: string }
  | { kind: "invalid"; message: string };

// Parsing against a fixed base never resolves anything; the name only anchors relative targets.
const BASE = "http://reverse.invalid";

/**
 * Normalises an origin-form target the way the WHATWG URL parser does (dot segments, `%2e`), so
 * the path that picks the route is exactly the path sent upstream. Encoded slashes and
 * backslashes are refused: an upstream that decoded them would see a different path than the
 * one that was routed and decided.
 */
export function requestPath(target: string): RequestPath {
  if (!target.startsWith("/")) {
    return { kind: "invalid", message: "an origin-form target (starting with /) is required" };
  }
  if (/%2f|%5c|\\/i.test(target.split("?")[0] ?? "")) {
    return { kind: "invalid", message: "encoded slashes and backslashes are not relayed" };
  }
  let url: URL;
  try {
    url = new URL(`${BASE}${target}`);
  } catch {
    return { kind: "invalid", message: "the request target is not a valid path" };
  }
  if (url.origin !== BASE) return { kind: "invalid", message: "the request target is not a path" };
  return { kind: "path", pathname: url.pathname, search: url.search };
}

// Headers through which a client could claim another identity or scheme to the application.
const CLIENT_CLAIMS = /^(forwarded|x-forwarded-[a-z-]+|x-real-ip|x-client-ip)$/i;

/**
 * Replaces every forwarding claim the client sent with the gateway's own: `X-Forwarded-For` is
 * the one client address the gateway identified (trusted hops applied), `X-Forwarded-Proto` the
 * scheme the client used to reach the gateway.
 */
export function forwardedHeaders(
  headers: ReadonlyArray<readonly [string, string]>,
  clientIp: string,
  proto: "http" | "https",
): Array<[string, string]> {
  const kept = headers
    .filter(([name]) => !CLIENT_CLAIMS.test(name))
    .map(([name, value]): [string, string] => [name, value]);
  kept.push(["x-forwarded-for", clientIp], ["x-forwarded-proto", proto]);
  return kept;
}
