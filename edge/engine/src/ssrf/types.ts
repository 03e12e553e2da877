/**
 * Public vocabulary of the SSRF guard: verdicts, the closed set of reason codes, address
 * categories and options. Every decision names exactly one reason so callers (WAF, gateway,
 * CLI) can log and count decisions without parsing prose.
 */

/** Why a destination was allowed or blocked. The set is closed; callers may switch on it. */
export const SSRF_REASONS = [
  "public-address",
  "hostname",
  "allowlisted",
  "metadata-address",
  "metadata-hostname",
  "non-global-address",
  "localhost-hostname",
  "unsupported-scheme",
  "invalid-url",
  "invalid-host",
  "invalid-address",
  "invalid-port",
  "resolver-error",
  "no-addresses",
] as const;
export type SsrfReason = (typeof SSRF_REASONS)[number];

/** Which kind of address space a destination falls in; absent for global unicast. */
export const ADDRESS_CATEGORIES = [
  "metadata",
  "unspecified",
  "this-network",
  "loopback",
  "private",
  "shared",
  "link-local",
  "ietf-protocol",
  "documentation",
  "benchmarking",
  "multicast",
  "reserved",
  "broadcast",
  "unique-local",
  "site-local",
  "discard",
] as const;
export type AddressCategory = (typeof ADDRESS_CATEGORIES)[number];

/** The guard's answer for one destination. */
export interface SsrfResult {
  readonly verdict: "allow" | "block";
  readonly reason: SsrfReason;
  /** Canonical text of the judged address (dotted quad, or RFC 5952 IPv6 without brackets). */
  readonly address?: string;
  readonly category?: AddressCategory;
  /** For metadata blocks: which endpoint matched, for example `aws-imds`. */
  readonly endpoint?: string;
}

/** The answer of resolving mode: when allowed, `address` and `port` are what to connect to. */
export interface SsrfConnectResult extends SsrfResult {
  readonly hostname?: string;
  readonly port?: number;
}

/** Options shared by both modes. */
export interface SsrfOptions {
  /**
   * CIDRs (`10.0.0.0/8`, `::1/128`, a bare address) and hostnames (`db.internal`, or
   * `*.svc.internal` for every subdomain) that may be reached even though they are not global.
   * Metadata endpoints stay blocked whatever this list says.
   */
  readonly allow?: readonly string[];
  /** URL schemes that may be used, lowercase without the colon; default `http` and `https`. */
  readonly schemes?: readonly string[];
}

/** Looks a hostname up; returns every address as text. Injected so tests never use DNS. */
/**
 * Looks a name up. A resolver that already holds the answer (a cache) may return it directly:
 * no deadline is needed for an answer that is already there.
 */
export type SsrfResolver = (hostname: string) => Promise<readonly string[]> | readonly string[];

/** Options of resolving mode. */
export interface SsrfResolvingOptions extends SsrfOptions {
  readonly resolver: SsrfResolver;
  /**
   * How long to wait for the resolver before blocking with `resolver-error`; default 5000 ms.
   * A lookup that never answers must not hold a connection open forever.
   */
  readonly resolveTimeoutMs?: number;
}

/** Thrown when guard options are malformed (a bad allowlist entry); names the entry. */
export class SsrfOptionsError extends Error {
  override readonly name = "SsrfOptionsError";
}
