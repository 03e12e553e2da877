/**
 * Request path normalisation for path-based matching (path-style buckets, API path prefixes).
 *
 * Origins treat `/corp%2Ddata/key`, `/x/../corp-data/key` and `/corp-data/key` as the same
 * resource, so a rule on `/corp-data/` must see them as the same path too. Following RFC 3986
 * (6.2.2), escapes of unreserved characters are decoded and dot segments are removed; every
 * other escape is kept (upper-cased), because decoding `%2F` or `%3F` would change where the
 * path splits. The query is left as it came.
 */

const ESCAPE = /%([0-9a-fA-F]{2})/g;
const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function decodeUnreserved(path: string): string {
  return path.replace(ESCAPE, (_, hex: string) => {
    const char = String.fromCharCode(Number.parseInt(hex, 16));
    return UNRESERVED.test(char) ? char : `%${hex.toUpperCase()}`;
  });
}

/** Removes `.` and `..` segments; `..` never climbs above the root. */
function removeDotSegments(path: string): string {
  const segments = path.split("/");
  const out: string[] = [];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    if (segment === "." || segment === "..") {
      if (segment === ".." && out.length > 1) out.pop();
      // A trailing dot segment still names a directory, so it leaves its slash behind.
      if (last) out.push("");
      return;
    }
    out.push(segment);
  });
  return out.join("/");
}

/** The normalised form of a request path (with optional query) that matching works on. */
export function normalizePath(path: string): string {
  const cut = path.indexOf("?");
  const pathPart = cut < 0 ? path : path.slice(0, cut);
  const query = cut < 0 ? "" : path.slice(cut);
  return removeDotSegments(decodeUnreserved(pathPart)) + query;
}
