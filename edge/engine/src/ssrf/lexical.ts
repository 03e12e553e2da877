/**
 * Lexical mode: judges URLs and hosts found in requests without ever resolving a name, since an
 * attacker's hostname must never cause a lookup. It reads each URL the way the WHATWG parser
 * does and the ways laxer parsers do, and blocks when any reading reaches a forbidden place.
 */
import { combineReadings, judgeHostLexical } from "./host.ts";
import { compilePolicy, type GuardPolicy } from "./policy.ts";
import type { SsrfOptions, SsrfResult } from "./types.ts";

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_FOR_URL = /^(?:[^/\\?#@:\s[\]]*|\[[^\]/\\?#@\s]*\])$/;

/** Removes what the URL parser ignores: surrounding C0 controls and spaces, tabs and newlines. */
export function stripIgnored(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && input.charCodeAt(start) <= 0x20) start++;
  while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
  return input.slice(start, end).replace(/[\t\n\r]/g, "");
}

/** `host` of `host:port` or `[v6]:port`. */
function stripPort(hostPort: string): string {
  if (hostPort.startsWith("[")) return hostPort.slice(0, hostPort.indexOf("]") + 1) || hostPort;
  const colon = hostPort.indexOf(":");
  return colon < 0 ? hostPort : hostPort.slice(0, colon);
}

/**
 * Hosts that RFC 3986 style parsers read from the authority: one treating a backslash as
 * ordinary text (so `a\@b` has userinfo `a\` and host `b`), one treating it as a slash.
 */
function laxHosts(rest: string): string[] {
  const afterSlashes = rest.replace(/^[/\\]*/, "");
  return [/[/?#]/, /[/\\?#]/].map((delimiters) => {
    const end = afterSlashes.search(delimiters);
    const authority = end < 0 ? afterSlashes : afterSlashes.slice(0, end);
    return stripPort(authority.slice(authority.lastIndexOf("@") + 1));
  });
}

function parseUrl(text: string): URL | null {
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

function judgeUrl(input: string, policy: GuardPolicy): SsrfResult {
  const cleaned = stripIgnored(input);
  const scheme = SCHEME.exec(cleaned)?.[1]?.toLowerCase();
  if (!scheme) return { verdict: "block", reason: "invalid-url" };
  if (!policy.schemes.has(scheme)) return { verdict: "block", reason: "unsupported-scheme" };

  const url = parseUrl(cleaned);
  if (url && url.hostname === "") return { verdict: "block", reason: "invalid-url" };
  const primary = url ? judgeHostLexical(url.hostname, policy) : null;
  const lax = new Set(laxHosts(cleaned.slice(scheme.length + 1)));
  if (url) lax.delete(url.hostname);
  const alternatives = [...lax].map((host) => judgeHostLexical(host, policy));
  return combineReadings(primary, alternatives, { verdict: "block", reason: "invalid-url" });
}

/**
 * Judges a URL found in a request, without DNS. Names that no rule speaks about are allowed
 * with reason `hostname`; connect through {@link checkUrlResolving} to judge where they point.
 * Throws {@link SsrfOptionsError} only for malformed options.
 */
export function checkUrlLexical(url: string, options: SsrfOptions = {}): SsrfResult {
  const policy = compilePolicy(options);
  if (typeof url !== "string") return { verdict: "block", reason: "invalid-url" };
  return judgeUrl(url, policy);
}

/** True for an integer port 0-65535, given as a number or decimal text. */
export function validPort(port: number | string | undefined): boolean {
  if (port === undefined) return true;
  const value = typeof port === "string" && /^[0-9]{1,5}$/.test(port) ? Number(port) : port;
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 65535;
}

/**
 * Judges a host and port as found in a request line, a Host header or CONNECT, without DNS.
 * The host may be a name, any IPv4 spelling, or IPv6 with or without brackets.
 */
export function checkHostLexical(
  host: string,
  port?: number | string,
  options: SsrfOptions = {},
): SsrfResult {
  const policy = compilePolicy(options);
  if (typeof host !== "string") return { verdict: "block", reason: "invalid-host" };
  if (!validPort(port)) return { verdict: "block", reason: "invalid-port" };

  const cleaned = stripIgnored(host);
  const raw = judgeHostLexical(cleaned, policy);
  const url = SAFE_FOR_URL.test(cleaned) ? parseUrl(`http://${cleaned}/`) : null;
  const primary = url && url.hostname !== "" ? judgeHostLexical(url.hostname, policy) : raw;
  return combineReadings(primary, [raw], raw);
}
