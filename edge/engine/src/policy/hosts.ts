/**
 * Host names and host patterns.
 *
 * A pattern is a host name whose leftmost label may be `*` (exactly one label) or `**` (one or
 * more labels); neither matches the bare parent, so `*.example.com` does not match
 * `example.com`. Patterns generated for services may also hold `*` in inner labels (for
 * example the VPC endpoint id of an S3 PrivateLink name); users write only leftmost wildcards.
 */

const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;

/** Lower-cases a host and drops one trailing dot; returns what it got if it is not a name. */
export function normalizeHost(host: string): string {
  const lower = host.toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
}

/** Explains why a user-written host pattern is invalid, or returns undefined when it is valid. */
export function hostPatternProblem(
  pattern: string,
  allowInnerWildcards = false,
): string | undefined {
  if (pattern.length === 0 || pattern.length > 253) return "a host is 1-253 characters";
  const labels = normalizeHost(pattern).split(".");
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i] ?? "";
    if (label === "**" || label === "*") {
      if (i === 0 && labels.length > 1) continue;
      if (label === "*" && allowInnerWildcards && i > 0) continue;
      return `"${label}" is allowed only as the leftmost label, followed by a domain`;
    }
    if (!LABEL.test(label)) return `label "${label}" is not a valid host name label`;
  }
  return undefined;
}

/** Splits a normalised host or pattern into labels. */
export function hostLabels(host: string): string[] {
  return host.split(".");
}

/** True when a normalised host matches a normalised pattern. */
export function hostMatches(pattern: string, host: string): boolean {
  const p = hostLabels(pattern);
  const h = hostLabels(host);
  const multi = p[0] === "**";
  const fixed = multi ? p.length - 1 : p.length;
  if (multi ? h.length <= fixed : h.length !== fixed) return false;

  for (let i = 1; i <= fixed; i++) {
    const want = p[p.length - i];
    if (want !== "*" && want !== h[h.length - i]) return false;
  }
  return true;
}

/**
 * True when `path` falls under `prefix`: equal to it, or continuing with `/` or `?` when the
 * prefix does not itself end with `/`. So `/b` covers `/b/key` and `/b?list` but not `/bc`.
 */
export function pathUnder(prefix: string, path: string): boolean {
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length || prefix.endsWith("/")) return true;
  const next = path[prefix.length];
  return next === "/" || next === "?";
}
