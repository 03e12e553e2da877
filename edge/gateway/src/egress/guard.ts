import { checkHostResolving, type SsrfResolvingOptions } from "@ringfence/engine/ssrf";
import type { EgressGuard, Resolver } from "./dial.ts";

/**
 * The gateway's egress guard: the engine's resolving SSRF check over the gateway's own resolver.
 * Non-global destinations pass only through `allow` (CIDRs and hostnames from configuration);
 * cloud metadata endpoints are refused whatever the allowlist says.
 */
export function engineEgressGuard(resolver: Resolver, allow: readonly string[]): EgressGuard {
  const options: SsrfResolvingOptions = { resolver, allow };
  return (host, port) => checkHostResolving(host, port, options);
}
