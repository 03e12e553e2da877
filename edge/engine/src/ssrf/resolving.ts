/**
 * Resolving mode: for code that is about to connect. The URL is read once by the WHATWG parser
 * (the parser our clients connect with), names are looked up through the injected resolver,
 * EVERY answer is judged, and the answer to connect to is returned so the caller opens the
 * socket to exactly the address that was checked, with no second lookup to rebind.
 */
import { ipToBigInt, NetParseError, parseIpResult } from "../net/index.ts";
import { endsInNumber, parseIpv4Whatwg } from "./ipv4.ts";
import { parseIpv6 } from "./ipv6.ts";
import { firstBlock, judgeAddress, judgeName } from "./judge.ts";
import { stripIgnored, validPort } from "./lexical.ts";
import { isDnsName, normaliseName } from "./names.ts";
import { compilePolicy, type GuardPolicy, nameAllowed } from "./policy.ts";
import type { Ip } from "./ranges.ts";
import type {
  SsrfConnectResult,
  SsrfReason,
  SsrfResolver,
  SsrfResolvingOptions,
  SsrfResult,
} from "./types.ts";

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443 };

function blocked(reason: SsrfReason, extra: Partial<SsrfConnectResult> = {}): SsrfConnectResult {
  return { verdict: "block", reason, ...extra };
}

/** Reads a host that is an IP literal in any WHATWG spelling; null when it is a name. */
function literalOf(host: string): Ip | "invalid" | null {
  if (host.startsWith("[") || host.includes(":")) {
    const inner = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
    const value = parseIpv6(inner);
    return value === null ? "invalid" : { family: 6, value };
  }
  if (!endsInNumber(host)) return null;
  const value = parseIpv4Whatwg(host);
  return value === null ? "invalid" : { family: 4, value };
}

/** Parses one resolver answer strictly; resolvers return canonical text, anything else is odd. */
function answerOf(text: unknown): Ip | null {
  if (typeof text !== "string") return null;
  const parsed = parseIpResult(text);
  if (parsed instanceof NetParseError) return null;
  return { family: parsed.family, value: ipToBigInt(parsed) };
}

const DEFAULT_RESOLVE_TIMEOUT_MS = 5000;

/** The resolver's answer, or a rejection once `timeoutMs` has passed. */
async function withDeadline(
  pending: Promise<readonly unknown[]>,
  name: string,
  timeoutMs: number,
): Promise<readonly unknown[]> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer for ${name} in ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([pending, deadline]);
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

async function lookUp(
  resolver: SsrfResolver,
  name: string,
  timeoutMs: number,
): Promise<Ip[] | SsrfReason> {
  let answers: readonly unknown[];
  try {
    const answer = resolver(name);
    // Only a pending answer can fail to arrive; one the resolver already held needs no timer.
    answers = Array.isArray(answer)
      ? answer
      : await withDeadline(Promise.resolve(answer), name, timeoutMs);
  } catch {
    return "resolver-error";
  }
  if (!Array.isArray(answers)) return "resolver-error";
  if (answers.length === 0) return "no-addresses";

  const ips = answers.map(answerOf);
  if (ips.some((ip) => ip === null)) return "resolver-error";
  return ips.filter((ip): ip is Ip => ip !== null);
}

/** Judges a host (name or literal) and picks the address to connect to. */
async function judgeTarget(
  host: string,
  port: number,
  policy: GuardPolicy,
  options: SsrfResolvingOptions,
): Promise<SsrfConnectResult> {
  const name = normaliseName(host);
  const where = { hostname: name, port };
  const literal = literalOf(name);
  if (literal === "invalid") return blocked("invalid-address", where);
  if (literal) return { ...judgeAddress(literal, policy), ...where };
  if (!isDnsName(name)) return blocked("invalid-host", where);

  const byName = judgeName(name, policy);
  if (byName) return { ...byName, ...where };

  const timeout = options.resolveTimeoutMs ?? DEFAULT_RESOLVE_TIMEOUT_MS;
  const ips = await lookUp(options.resolver, name, timeout);
  if (typeof ips === "string") return blocked(ips, where);
  const hostAllowed = nameAllowed(policy, name);
  const judged: SsrfResult[] = ips.map((ip) => judgeAddress(ip, policy, hostAllowed));
  const chosen = firstBlock(judged) ?? judged[0];
  return chosen ? { ...chosen, ...where } : blocked("no-addresses", where);
}

/**
 * Judges a URL the caller is about to fetch. When allowed, connect to `address`:`port` (and
 * send the original host in the Host header / SNI); never look the name up again.
 */
export async function checkUrlResolving(
  url: string,
  options: SsrfResolvingOptions,
): Promise<SsrfConnectResult> {
  const policy = compilePolicy(options);
  if (typeof url !== "string") return blocked("invalid-url");

  let parsed: URL;
  try {
    parsed = new URL(stripIgnored(url));
  } catch {
    return blocked("invalid-url");
  }

  const scheme = parsed.protocol.slice(0, -1);
  if (!policy.schemes.has(scheme)) return blocked("unsupported-scheme");
  if (parsed.hostname === "") return blocked("invalid-url");

  const port = parsed.port === "" ? DEFAULT_PORTS[scheme] : Number(parsed.port);
  if (port === undefined) return blocked("invalid-port");
  return judgeTarget(parsed.hostname, port, policy, options);
}

/** Judges a host and port the caller is about to connect to (a CONNECT target, for example). */
export async function checkHostResolving(
  host: string,
  port: number | string,
  options: SsrfResolvingOptions,
): Promise<SsrfConnectResult> {
  const policy = compilePolicy(options);
  if (typeof host !== "string") return blocked("invalid-host");
  if (port === undefined || !validPort(port)) return blocked("invalid-port");
  return judgeTarget(stripIgnored(host), Number(port), policy, options);
}
