import { checkHostResolving, type SsrfResolvingOptions } from "@ringfence/engine/ssrf";
import type { EgressGuard, Resolver } from "./dial.ts";

/**
 * How long a resolver's answer is reused. The system lookup (getaddrinfo) reports no TTL, so the
 * gateway holds answers briefly instead of asking the OS once per request.
 */
export const DEFAULT_ANSWER_TTL_MS = 5_000;
const MAX_CACHED_NAMES = 4096;

/** A resolver that may answer from its cache without a promise (see `SsrfResolver`). */
export type CachingResolver = (hostname: string) => Promise<readonly string[]> | readonly string[];

/**
 * Reuses each name's answer for `ttlMs`. Only answers are cached, never verdicts: the engine
 * judges every cached address again on every request, so the address dialled is always one the
 * guard has just judged. Failures and empty answers are not cached.
 */
export function cachingResolver(
  resolver: Resolver,
  ttlMs: number = DEFAULT_ANSWER_TTL_MS,
  now: () => number = () => performance.now(),
): CachingResolver {
  if (ttlMs <= 0) return resolver;
  const answers = new Map<string, { addresses: readonly string[]; expires: number }>();
  return (hostname) => {
    const held = answers.get(hostname);
    if (held && held.expires > now()) return held.addresses;
    if (held) answers.delete(hostname);
    return resolver(hostname).then((addresses) => {
      if (addresses.length > 0) {
        answers.set(hostname, { addresses: [...addresses], expires: now() + ttlMs });
        // Oldest first: Map keeps insertion order, so the first key is the stalest answer.
        if (answers.size > MAX_CACHED_NAMES) answers.delete(answers.keys().next().value as string);
      }
      return addresses;
    });
  };
}

/**
 * The gateway's egress guard: the engine's resolving SSRF check over the gateway's own resolver.
 * Non-global destinations pass only through `allow` (CIDRs and hostnames from configuration);
 * cloud metadata endpoints are refused whatever the allowlist says.
 */
export function engineEgressGuard(
  resolver: Resolver,
  allow: readonly string[],
  answerTtlMs: number = DEFAULT_ANSWER_TTL_MS,
): EgressGuard {
  const options: SsrfResolvingOptions = { resolver: cachingResolver(resolver, answerTtlMs), allow };
  return (host, port) => checkHostResolving(host, port, options);
}
