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

function splitQuery(path: string): [string, string] {
  const cut = path.indexOf("?");
  return cut < 0 ? [path, ""] : [path.slice(0, cut), path.slice(cut)];
}

/**
 * The normalised form of a request path (with optional query) that matching works on. With
 * `dotSegments: "keep"` only escapes are decoded: the form for origins that, like S3, read the
 * path as it came and never resolve `.` or `..`.
 */
export function normalizePath(path: string, dotSegments: "remove" | "keep" = "remove"): string {
  const [pathPart, query] = splitQuery(path);
  const decoded = decodeUnreserved(pathPart);
  return (dotSegments === "remove" ? removeDotSegments(decoded) : decoded) + query;
}

/**
 * The first dot segment of a path as it was sent (`..`, `.`, `%2E%2E`, `.%2e` and so on:
 * any segment that is `.` or `..` once unreserved escapes are decoded), or undefined when it
 * has none. The query is not looked at; `..%2F` is not a dot segment (`%2F` is no slash).
 */
export function dotSegmentOf(path: string): string | undefined {
  const [pathPart] = splitQuery(path);
  for (const segment of pathPart.split("/")) {
    const decoded = segment.includes("%") ? decodeUnreserved(segment) : segment;
    if (decoded === "." || decoded === "..") return segment;
  }
  return undefined;
}
