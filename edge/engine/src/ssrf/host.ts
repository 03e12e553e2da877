/**
 * Lexical judgement of one host as written, before or instead of the URL parser: percent
 * escapes, full-width forms, IPv6 zones and every numeric reading are considered, and a host is
 * allowed only when each reading of it is safe. Nothing here looks a name up.
 */
import { endsInNumber, ipv4Readings, looksNumeric, parseIpv4Whatwg } from "./ipv4.ts";
import { parseIpv6 } from "./ipv6.ts";
import { firstBlock, judgeAddress, judgeName } from "./judge.ts";
import { isDnsName, normaliseName } from "./names.ts";
import { type GuardPolicy, nameAllowed } from "./policy.ts";
import type { SsrfResult } from "./types.ts";

const INVALID_HOST: SsrfResult = { verdict: "block", reason: "invalid-host" };
const INVALID_ADDRESS: SsrfResult = { verdict: "block", reason: "invalid-address" };

/** Dotted decimal without leading zeros: the one spelling every parser reads the same way. */
const CANONICAL_QUAD = /^(?:(?:0|[1-9][0-9]{0,2})\.){3}(?:0|[1-9][0-9]{0,2})$/;

/** Decodes percent escapes, repeatedly, since some backends decode a host more than once. */
function percentDecode(text: string): string {
  let current = text;
  for (let round = 0; round < 3 && current.includes("%"); round++) {
    let next: string;
    try {
      next = decodeURIComponent(current);
    } catch {
      next = current.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
        String.fromCharCode(Number.parseInt(hex, 16)),
      );
    }
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Folds width and case the way IDNA mapping would: `１６９。２５４` reads as `169.254`. */
export function foldHost(raw: string): string {
  const decoded = percentDecode(raw).normalize("NFKC");
  return decoded.replace(/[\u3002\uff0e\uff61]/g, ".").toLowerCase();
}

/** Judges bracketed or bare IPv6 text; a zone identifier is dropped, not trusted. */
function judgeIpv6Text(host: string, policy: GuardPolicy): SsrfResult {
  let inner = host;
  if (host.startsWith("[")) {
    if (!host.endsWith("]")) return INVALID_HOST;
    inner = host.slice(1, -1);
  }
  const zone = inner.indexOf("%");
  const value = parseIpv6(zone < 0 ? inner : inner.slice(0, zone));
  return value === null ? INVALID_HOST : judgeAddress({ family: 6, value }, policy);
}

/**
 * Judges a numeric-looking host by the WHATWG reading and every other reading. When the
 * WHATWG parser would reject it, it is blocked anyway: a backend that accepts it reads it in a
 * way we cannot be sure of.
 */
function judgeNumericHost(host: string, policy: GuardPolicy): SsrfResult {
  const strict = parseIpv4Whatwg(host);
  const main = strict === null ? null : judgeAddress({ family: 4, value: strict }, policy);
  if (main && CANONICAL_QUAD.test(host)) return main;

  const others = ipv4Readings(host)
    .filter((value) => value !== strict)
    .map((value) => judgeAddress({ family: 4, value }, policy));

  const block = firstBlock(main ? [main, ...others] : others);
  return block ?? main ?? INVALID_ADDRESS;
}

/** Judges one host exactly as written (no DNS). */
export function judgeHostLexical(raw: string, policy: GuardPolicy): SsrfResult {
  const folded = foldHost(raw);
  if (folded.startsWith("[") || folded.includes(":")) return judgeIpv6Text(folded, policy);

  const name = normaliseName(folded);
  if (name === "") return INVALID_HOST;
  if (looksNumeric(name) || endsInNumber(folded)) return judgeNumericHost(name, policy);
  if (!isDnsName(name)) return INVALID_HOST;

  const byName = judgeName(name, policy);
  if (byName) return byName;
  const reason = nameAllowed(policy, name) ? "allowlisted" : "hostname";
  return { verdict: "allow", reason };
}

/**
 * Combines the reading our own URL parser makes (`primary`) with readings other parsers could
 * make. Another reading can only add a block; an unparseable alternative is not evidence,
 * since it is usually an internationalised name that IDNA handles for the primary reading.
 */
export function combineReadings(
  primary: SsrfResult | null,
  alternatives: readonly SsrfResult[],
  fallback: SsrfResult,
): SsrfResult {
  const blocks = alternatives.filter(
    (result) => result.verdict === "block" && result.reason !== "invalid-host",
  );
  if (primary) return firstBlock([primary, ...blocks]) ?? primary;
  return firstBlock(blocks) ?? fallback;
}
