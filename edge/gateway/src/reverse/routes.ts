import { UpstreamPool } from "../egress/upstream.ts";

/** One inbound application as the gateway is told about it (files already read). */
export type ReverseRoute = {
  /** Host the route answers for, without port; every Host when absent. */
  host?: string;
  pathPrefix: string;
  /** `https://name[:port][/base]` or `http://…`; the base path is prepended upstream. */
  upstream: string;
  /** Inspection profile ids from the bundle, run on every request and response. */
  profiles: readonly string[];
  /** Trust anchors (PEM) for this upstream's TLS; the gateway's own set when absent. */
  upstreamCa?: string[];
};

/** A route ready to match: the upstream split into what the egress guard and client need. */
export type CompiledRoute = {
  host: string | undefined;
  pathPrefix: string;
  profiles: readonly string[];
  target: { host: string; port: number; tls: boolean; basePath: string };
  /** Set when the route has trust anchors of its own. */
  pool: UpstreamPool | undefined;
};

/** Thrown for a route the gateway cannot serve; the message names the route. */
export class RouteError extends Error {
  override readonly name = "RouteError";
}

/** Compiles configured routes; a bad upstream URL throws a RouteError naming its index. */
export function compileRoutes(routes: readonly ReverseRoute[]): CompiledRoute[] {
  return routes.map((route, index) => {
    let url: URL;
    try {
      url = new URL(route.upstream);
    } catch {
      throw new RouteError(`reverse.routes.${index}.upstream: not a URL`);
    }
    const tls = url.protocol === "https:";
    if (!tls && url.protocol !== "http:") {
      throw new RouteError(`reverse.routes.${index}.upstream: only http and https are relayed`);
    }
    return {
      host: route.host?.toLowerCase().replace(/\.$/, ""),
      pathPrefix: route.pathPrefix,
      profiles: route.profiles,
      target: {
        host: url.hostname.replace(/^\[|\]$/g, ""),
        port: url.port === "" ? (tls ? 443 : 80) : Number(url.port),
        tls,
        basePath: url.pathname.replace(/\/$/, ""),
      },
      pool: route.upstreamCa ? new UpstreamPool({ ca: route.upstreamCa }) : undefined,
    };
  });
}

/** True when `prefix` covers `path` on a segment boundary (`/api` covers `/api/x`, not `/apix`). */
function covers(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  return prefix.endsWith("/") || path.length === prefix.length || path[prefix.length] === "/";
}

/**
 * The route for a request: among routes whose host matches (or that name none), the longest
 * path prefix wins; on equal prefixes a route naming the host beats a catch-all.
 */
export function matchRoute(
  routes: readonly CompiledRoute[],
  host: string | undefined,
  path: string,
): CompiledRoute | undefined {
  let best: CompiledRoute | undefined;
  for (const route of routes) {
    if (route.host !== undefined && route.host !== host) continue;
    if (!covers(route.pathPrefix, path)) continue;
    if (!best || better(route, best)) best = route;
  }
  return best;
}

function better(candidate: CompiledRoute, current: CompiledRoute): boolean {
  if (candidate.pathPrefix.length !== current.pathPrefix.length) {
    return candidate.pathPrefix.length > current.pathPrefix.length;
  }
  return candidate.host !== undefined && current.host === undefined;
}
