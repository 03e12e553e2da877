import { parseContentType } from "../bodies.ts";
import type { RequestModel } from "../fields.ts";
import { ARGS, firstMatch, type Paranoia, patternRule, type WafRule } from "./rule.ts";

/** A request-level check: it reads the whole model rather than one field. */
export interface RequestCheck {
  id: string;
  paranoia: Paranoia;
  description: string;
  check: (model: RequestModel) => { location: string; evidence: string } | undefined;
}

const METHODS = new Set([
  "GET",
  "HEAD",
  "POST",
  "PUT",
  "PATCH",
  "DELETE",
  "OPTIONS",
  "CONNECT",
  "TRACE",
  "PROPFIND",
  "PROPPATCH",
  "MKCOL",
  "COPY",
  "MOVE",
  "LOCK",
  "UNLOCK",
  "REPORT",
  "SEARCH",
]);
const RESTRICTED_EXTENSIONS =
  /\.(?:bak|backup|old|orig|save|swp|swo|tmp|temp|sql|sqlite3?|db|dbf|mdb|config|conf|cfg|ini|log|inc|key|pem|p12|pfx|crt|cer|der|jks|keystore|passwd|pwd|htpasswd|htaccess|git|svn|hg|dist|asa|asax|ascx|axd|backup|batch|cmd|cs|csproj|idq|idc|licx|mdf|printer|rdb|resources|resx|vb|vbproj|vsdisco|webinfo|xsd|xsx|dll|exe|sh|history|lock|yml|yaml|tfstate|pyc|class)$/i;
const ALLOWED_CHARSETS = /^(?:utf-8|iso-8859-1|iso-8859-15|windows-1252|us-ascii)$/i;
/*
 * type/subtype and parameters. Unquoted values may use the token characters and, for multipart
 * boundaries, the extra characters RFC 2046 allows there ("(", ")", ",", "?", ":", "=", "/").
 */
const CONTENT_TYPE_SHAPE =
  /^[\w!#$%&'*+.^`|~-]+\/[\w!#$%&'*+.^`|~-]+(?:\s*;\s*[\w!#$%&'*+.^`|~-]+\s*=\s*(?:"[^"]*"|[\w!#$%&'*+.^`|~:/=?(),-]+))*\s*;?\s*$/;

/**
 * A Host that is an address rather than a name: dotted or bare decimal IPv4, or IPv6 (bracketed,
 * or bare with at least two colons). Names made of hex letters, such as deadbeef.de, are names.
 */
const NUMERIC_HOST = /^(?:[\d.]+|\[[\da-f:.]+(?:%\w+)?\]|[\da-f]*:[\da-f]*:[\da-f:.]*)(?::\d+)?$/i;

function header(model: RequestModel, name: string): string[] {
  return model.headers.filter(([n]) => n.toLowerCase() === name).map(([, v]) => v);
}

function jsonRequest(model: RequestModel): boolean {
  const type = parseContentType(header(model, "content-type")[0] ?? "").type;
  return model.body.kind === "json" || type === "application/json" || type.endsWith("+json");
}

function hit(location: string, evidence: string) {
  return { location, evidence };
}

function rangeAbuse(model: RequestModel) {
  const value = [...header(model, "range"), ...header(model, "request-range")][0];
  if (value === undefined) return undefined;
  const parts = value.replace(/^bytes=/i, "").split(",");
  const backwards = parts.some((p) => {
    const [a, b] = p.split("-").map((x) => x.trim());
    return a !== "" && b !== "" && a !== undefined && b !== undefined && Number(b) < Number(a);
  });
  return parts.length > 5 ||
    backwards ||
    (/^0-/.test(parts[0]?.trim() ?? "") === false && parts.length > 1)
    ? hit("header:range", value)
    : undefined;
}

function contentTypeProblem(model: RequestModel) {
  const value = header(model, "content-type")[0];
  if (value === undefined) return undefined;
  if (!CONTENT_TYPE_SHAPE.test(value)) return hit("header:content-type", value);
  const { type, params } = parseContentType(value);
  const charset = params.get("charset");
  // A charset only changes how a body is decoded; an empty one reads the same in any of them.
  if (charset !== undefined && model.body.kind !== "none" && !ALLOWED_CHARSETS.test(charset))
    return hit("header:content-type", value);
  if (params.has("boundary") && type !== "multipart/form-data" && !type.startsWith("multipart/"))
    return hit("header:content-type", value);
  return undefined;
}

export const protocolChecks: RequestCheck[] = [
  {
    id: "protocol-method",
    paranoia: 1,
    description: "an unknown or malformed method",
    check: (m) => (METHODS.has(m.method) ? undefined : hit("method", m.method)),
  },
  {
    id: "protocol-body-without-method",
    paranoia: 1,
    description: "GET or HEAD with a body",
    check: (m) =>
      (m.method === "GET" || m.method === "HEAD") && m.body.text.length > 0
        ? hit("body", `${m.method} with a body`)
        : undefined,
  },
  {
    id: "protocol-missing-length",
    paranoia: 2,
    description: "a body-carrying method without Content-Length or Transfer-Encoding",
    check: (m) =>
      ["POST", "PUT", "PATCH"].includes(m.method) &&
      header(m, "content-length").length === 0 &&
      header(m, "transfer-encoding").length === 0
        ? hit("header:content-length", "missing")
        : undefined,
  },
  {
    id: "protocol-range",
    paranoia: 1,
    description: "a Range header with backwards or too many ranges",
    check: rangeAbuse,
  },
  {
    id: "protocol-connection",
    paranoia: 1,
    description: "a repeated or contradictory Connection header",
    check: (m) => {
      const v = header(m, "connection").join(",");
      const tokens = v
        .toLowerCase()
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      return (tokens.length > 1 && new Set(tokens).size !== tokens.length) ||
        (tokens.includes("close") && tokens.includes("keep-alive"))
        ? hit("header:connection", v)
        : undefined;
    },
  },
  {
    id: "protocol-host",
    paranoia: 1,
    description: "a missing, empty or numeric Host header",
    check: (m) => {
      const h = header(m, "host");
      if (h.length === 0 || h[0]?.trim() === "") return hit("header:host", "missing or empty");
      return NUMERIC_HOST.test(h[0] ?? "") ? hit("header:host", h[0] ?? "") : undefined;
    },
  },
  {
    id: "protocol-empty-user-agent",
    paranoia: 1,
    description: "an empty User-Agent",
    check: (m) =>
      header(m, "user-agent").some((v) => v.trim() === "")
        ? hit("header:user-agent", "empty")
        : undefined,
  },
  {
    id: "protocol-body-without-type",
    paranoia: 1,
    description: "a body without Content-Type",
    check: (m) =>
      m.body.text.length > 0 && header(m, "content-type").length === 0
        ? hit("header:content-type", "missing")
        : undefined,
  },
  {
    id: "protocol-content-type",
    paranoia: 1,
    description: "a malformed Content-Type or a charset outside the allowed set",
    check: contentTypeProblem,
  },
  {
    id: "protocol-restricted-extension",
    paranoia: 1,
    description: "a backup, database, key or configuration file extension",
    check: (m) => {
      const e = RESTRICTED_EXTENSIONS.exec(m.path);
      return e || /~(?:\/|$)/.test(m.path) ? hit("path", m.path) : undefined;
    },
  },
  {
    id: "protocol-header-size",
    paranoia: 1,
    description: "an Accept-Encoding or other negotiation header of implausible size",
    check: (m) => {
      const v = header(m, "accept-encoding")[0];
      return v !== undefined && v.length > 100 ? hit("header:accept-encoding", v) : undefined;
    },
  },
  {
    id: "protocol-request-range",
    paranoia: 1,
    description: "the obsolete Request-Range header",
    check: (m) =>
      header(m, "request-range").length > 0
        ? hit("header:request-range", header(m, "request-range")[0] ?? "")
        : undefined,
  },
  {
    id: "protocol-arg-limits",
    paranoia: 1,
    description: "more than 255 arguments or an argument name over 100 characters",
    check: (m) => {
      const args = m.fields.filter((f) => f.kind === "arg" || f.kind === "body");
      const longName = args.find((f) => f.name.length > 100);
      return args.length > 255 || longName ? hit("args", `${args.length} arguments`) : undefined;
    },
  },
];

/*
 * A value breaks out of the LDAP filter it is pasted into when it closes a parenthesis it never
 * opened and starts a new filter. A whole, balanced filter ("(&(objectCategory=group)(…))") is
 * what directory search forms send on purpose, so only the unbalanced close counts.
 */
const LDAP_BREAKOUT = /^[^()]*\)+\s*[&|!]?\s*\(\s*(?:[|&!]|[\w-]+\s*[~<>]?=|\*|\)|$)/;

export const protocolRules: WafRule[] = [
  patternRule(
    {
      id: "protocol-null-byte",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "NUL bytes in arguments",
      kinds: ARGS,
      transforms: [],
    },
    /\0/,
  ),
  {
    id: "protocol-unicode-escape",
    category: "protocol",
    paranoia: 1,
    severity: "high",
    description: "%u or \\u escapes, a classic WAF evasion",
    kinds: ARGS,
    transforms: [],
    // A JSON API speaks \u escapes itself (a JSON string carried inside another, or echoed in
    // its query), so there only IIS's %u form is an evasion; every rule still reads the value.
    match: (value, _field, model) =>
      firstMatch(jsonRequest(model) ? /%u[0-9a-f]{4}/i : /\\u[0-9a-f]{4}|%u[0-9a-f]{4}/i, value),
    trigger: /\\u|%u/i,
  },
  patternRule(
    {
      id: "protocol-response-splitting",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "CR/LF followed by a header or status line (response splitting)",
      kinds: ARGS,
      transforms: [],
    },
    // A header line needs a value: an injected "location:" with nothing after it sets nothing.
    /[\r\n]\s*(?:(?:content-\w+|set-cookie|location|refresh|x-[\w-]+|transfer-encoding|host|cookie)[ \t]*:[ \t]*[^\s]|http\/\d|<html|<meta|<script)/i,
  ),
  patternRule(
    {
      id: "protocol-path-newline",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "CR or LF in the path",
      kinds: ["path"],
      transforms: [],
    },
    /[\r\n]/,
  ),
  patternRule(
    {
      id: "protocol-header-injection",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "CR or LF inside a header value after decoding",
      kinds: ["header"],
      transforms: ["urlDecode"],
    },
    /[\r\n]/,
  ),
  patternRule(
    {
      id: "protocol-smuggled-request",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "an HTTP request line inside an argument (request smuggling)",
      kinds: ARGS,
      transforms: [],
    },
    /\b(?:get|post|put|delete|head|options|connect|trace|patch)\s+[^\s]+\s+http\/\d/i,
  ),
  patternRule(
    {
      id: "protocol-ldap-injection",
      category: "protocol",
      paranoia: 1,
      severity: "critical",
      description: "LDAP filter injection: closing and reopening a filter",
      kinds: ARGS,
      transforms: [],
    },
    LDAP_BREAKOUT,
  ),
];
