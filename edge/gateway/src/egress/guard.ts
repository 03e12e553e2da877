import net from "node:net";
import { checkHostResolving, type SsrfResolvingOptions } from "@ringfence/engine/ssrf";
import type { EgressGuard, EgressVerdict, Resolver } from "./dial.ts";

/**
 * How long a resolver's answer is reused. The system lookup (getaddrinfo) reports no TTL, so the
 * gateway holds answers briefly instead of asking the OS once per request.
 */
export const DEFAULT_ANSWER_TTL_MS = 5_000;
const MAX_CACHED_NAMES = 4096;

/**
 * A resolver that may answer from its cache without a promise (see `SsrfResolver`); `held`
 * returns an answer still fresh in the cache without ever asking the resolver.
 */
export type CachingResolver = ((
  hostname: string,
) => Promise<readonly string[]> | readonly string[]) & {
  held(hostname: string): readonly string[] | undefined;
};

/**
 * Reuses each name's answer for `ttlMs`. Only answers are cached here; the guard below reuses a
 * verdict only while the answer it was judged on is still held, so the address dialled is
 * always one judged on the answer in force. Failures and empty answers are not cached.
 */
export function cachingResolver(
  resolver: Resolver,
  ttlMs: number = DEFAULT_ANSWER_TTL_MS,
  now: () => number = () => performance.now(),
): CachingResolver {
  const answers = new Map<string, { addresses: readonly string[]; expires: number }>();
  const held = (hostname: string) => {
    const entry = answers.get(hostname);
    return entry && entry.expires > now() ? entry.addresses : undefined;
  };
  if (ttlMs <= 0) return Object.assign((hostname: string) => resolver(hostname), { held });
  const resolve = (hostname: string) => {
    const fresh = held(hostname);
    if (fresh) return fresh;
    answers.delete(hostname);
    return resolver(hostname).then((addresses) => {
      if (addresses.length > 0) {
        answers.set(hostname, { addresses: [...addresses], expires: now() + ttlMs });
        // Oldest first: Map keeps insertion order, so the first key is the stalest answer.
        if (answers.size > MAX_CACHED_NAMES) answers.delete(answers.keys().next().value as string);
      }
      return addresses;
    });
  };
  return Object.assign(resolve, { held });
}

/**
 * The gateway's egress guard: the engine's resolving SSRF check over the gateway's own resolver.
 * Non-global destinations pass only through `allow` (CIDRs and hostnames from configuration);
 * cloud metadata endpoints are refused whatever the allowlist says.
 *
 * A verdict is a pure function of the host, the port, the fixed allowlist and the resolver's
 * answer, so the engine's verdict is reused while the caching resolver still holds the very
 * answer it was judged on (the same array, not an equal one). A new answer, an expired one or
 * a lookup still in flight is judged afresh; a verdict reached without a held answer (an
 * address literal aside) is never reused. A reused verdict comes back as it is, not in a promise.
 */
export function engineEgressGuard(
  resolver: Resolver,
  allow: readonly string[],
  answerTtlMs: number = DEFAULT_ANSWER_TTL_MS,
  now?: () => number,
): EgressGuard {
  const answers = cachingResolver(resolver, answerTtlMs, now);
  // Set while the engine's synchronous first step runs: which held answer it was given.
  let seen: { name: string; answer: unknown; calls: number } | undefined;
  const options: SsrfResolvingOptions = {
    allow,
    resolver: (name) => {
      const answer = answers(name);
      if (seen) Object.assign(seen, { name, answer, calls: seen.calls + 1 });
      return answer;
    },
  };
  // Host, then port: a lookup builds no key string on the per-request path.
  const verdicts = new Map<string, Map<number, JudgedVerdict>>();
  return (host, port) => {
    const known = verdicts.get(host)?.get(port);
    if (known && (known.name === undefined || answers.held(known.name) === known.answer)) {
      return known.verdict;
    }
    seen = { name: "", answer: undefined, calls: 0 };
    const pending = checkHostResolving(host, port, options);
    const used = seen;
    seen = undefined;
    const held = used.calls === 1 && Array.isArray(used.answer);
    const literal = used.calls === 0 && net.isIP(host) !== 0;
    if (!held && !literal) return pending;
    return pending.then((verdict) => {
      if (verdicts.size >= MAX_CACHED_NAMES) verdicts.clear();
      const byPort = verdicts.get(host) ?? new Map<number, JudgedVerdict>();
      verdicts.set(host, byPort);
      const name = literal ? undefined : used.name;
      byPort.set(port, { name, answer: used.answer, verdict });
      return verdict;
    });
  };
}

/** A verdict and the held answer it was judged on (no name: an address literal, no lookup). */
type JudgedVerdict = {
  name: string | undefined;
  answer: unknown;
  verdict: EgressVerdict;
};
