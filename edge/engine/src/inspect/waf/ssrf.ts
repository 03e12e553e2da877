import { checkHostLexical, checkUrlLexical, type SsrfResult } from "../../ssrf/index.ts";
import type { Field } from "../fields.ts";
import { ARGS, type WafRule } from "./rule.ts";

/** Parameter names whose values are fetched by servers: their bare hosts are judged too. */
const URLISH_NAME =
  /(?:^|[_.-])(?:url|uri|link|href|src|host|hostname|domain|dest|destination|redirect|return|next|callback|webhook|endpoint|target|proxy|server|addr|address|ip|image|avatar|feed|fetch|site|path|file|load|open|remote|origin)s?$/i;
const DANGEROUS_SCHEMES =
  /^(?:gopher|file|dict|ldap|ldaps|ldapi|tftp|jar|netdoc|sftp|ssh|telnet|smb|rmi|expect|phar|php|ogg|mms|rtsp|imap|pop3|smtp|mysql|redis|memcached|mongodb|postgres|postgresql|zookeeper|zmq|glob)$/i;
const BLOCKING_REASONS = new Set([
  "metadata-address",
  "metadata-hostname",
  "non-global-address",
  "localhost-hostname",
]);
const URL_SHAPE = /^\s*([a-z][a-z0-9+.-]{1,20}):(?:\/\/|\\\\|\/|[^\s]*@)/i;
const HOST_SHAPE = /^\s*(\[[0-9a-f:.%a-z]+\]|[\w.%-]+)(?::(\d{1,5}))?\s*$/i;
const DOTTED_QUAD = /^(?:0x[0-9a-f]+|\d+)(?:\.(?:0x[0-9a-f]+|\d+)){3}$/i;
const OBFUSCATED_IPV4 =
  /^(?:0x[0-9a-f]+|0\d+)(?:\.(?:0x[0-9a-f]+|\d+)){0,3}$|^(?:\d+\.){1,2}(?:0x[0-9a-f]+|0\d+)$/i;

function describe(result: SsrfResult, subject: string): string {
  const where = result.endpoint ?? result.category ?? result.address ?? "";
  return `${result.reason}${where ? ` (${where})` : ""}: ${subject}`.slice(0, 100);
}

/** Judges a whole value that is a URL: internal targets and dangerous schemes are hits. */
function judgeUrlValue(value: string): string | undefined {
  const scheme = URL_SHAPE.exec(value)?.[1];
  if (!scheme) return undefined;
  if (DANGEROUS_SCHEMES.test(scheme))
    return `scheme ${scheme.toLowerCase()}: ${value}`.slice(0, 100);
  const result = checkUrlLexical(value.trim());
  if (result.verdict === "block" && BLOCKING_REASONS.has(result.reason)) {
    return describe(result, value);
  }
  return decoyAuthority(value.trim());
}

const AUTHORITY = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i;
const EMBEDDED_IPV4 = /(?:^|\.)(\d{1,3}(?:[.-]\d{1,3}){3})\./;

/*
 * Two spellings aim a reader's eye, or a second parser, at an internal address while the URL
 * parser connects elsewhere. In `http://169.254.169.254:80@evil.example/` the address is only
 * userinfo (the host is evil.example), which is still an SSRF attempt against any parser or
 * proxy that reads it differently. In `http://169.254.169.254.nip.io/` the address is a label
 * of a name, and wildcard DNS services answer such names with the embedded address. Both are
 * judged lexically: the embedded address decides, and nothing is resolved.
 */
function decoyAuthority(url: string): string | undefined {
  const authority = AUTHORITY.exec(url)?.[1] ?? "";
  const at = authority.lastIndexOf("@");
  if (at >= 0) {
    const [host = "", port] = authority.slice(0, at).split(":");
    const hit = judgeRaw(host, port !== undefined && /^\d+$/.test(port) ? port : undefined);
    if (hit) return `userinfo decoy ${hit}`;
  }
  const embedded = EMBEDDED_IPV4.exec(authority.slice(at + 1))?.[1];
  const hit = embedded === undefined ? undefined : judgeRaw(embedded.replace(/-/g, "."), undefined);
  return hit ? `address embedded in a name, ${hit}` : undefined;
}

/**
 * Judges a value that is host[:port] as a whole. IPv4 spellings and IPv6 literals are judged
 * wherever they appear; bare names only in parameters that servers fetch, so that a form field
 * mentioning "localhost" in passing is not an attack.
 */
function judgeHostValue(value: string, name: string): string | undefined {
  const m = HOST_SHAPE.exec(value);
  if (!m) return undefined;
  const host = m[1] ?? "";
  const ipLike =
    host.startsWith("[") ||
    DOTTED_QUAD.test(host) ||
    OBFUSCATED_IPV4.test(host) ||
    (/^[0-9a-f]*::?[0-9a-f:.]*$/i.test(host) && host.includes("::"));
  const nameLike = /[a-z]/i.test(host) && (host.includes(".") || /^localhost$/i.test(host));
  if (
    !ipLike &&
    !(nameLike && (URLISH_NAME.test(name) || /metadata|internal|localhost/i.test(host)))
  ) {
    return /^\d{8,10}$/.test(host) && URLISH_NAME.test(name) ? judgeRaw(host, m[2]) : undefined;
  }
  return judgeRaw(host, m[2]);
}

function judgeRaw(host: string, port: string | undefined): string | undefined {
  const result = checkHostLexical(host, port);
  return result.verdict === "block" && BLOCKING_REASONS.has(result.reason)
    ? describe(result, host)
    : undefined;
}

function judgeField(value: string, field: Field): string | undefined {
  if (value.length > 2048 || value.length < 3) return undefined;
  return judgeUrlValue(value) ?? judgeHostValue(value, field.name);
}

export const ssrfRules: WafRule[] = [
  {
    id: "ssrf-internal-destination",
    category: "ssrf",
    paranoia: 1,
    severity: "critical",
    description:
      "a URL or host value aimed at cloud metadata, loopback or private space, or a gopher/file/dict URL",
    kinds: ARGS.filter((k) => k !== "argName" && k !== "cookieName"),
    transforms: ["removeNulls"],
    match: judgeField,
  },
  {
    id: "ssrf-routing-header",
    category: "ssrf",
    paranoia: 1,
    severity: "critical",
    description:
      "an internal destination in headers that proxies route on (X-Original-URL and the like)",
    kinds: ["header"],
    transforms: [],
    match: (value, field) =>
      /^(?:x-original-url|x-rewrite-url|x-forwarded-host|x-host|x-http-destinationurl|destination|x-wap-profile|profile)$/.test(
        field.name,
      )
        ? judgeField(value, { ...field, name: "url" })
        : undefined,
  },
];
