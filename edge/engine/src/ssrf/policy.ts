/**
 * Compiles guard options once: the allowlist into numeric prefixes and name patterns, the
 * scheme list into a set. A malformed entry is a configuration mistake and throws, naming it.
 */
import { ipToBigInt, NetParseError, parseCidrResult } from "../net/index.ts";
import { isDnsName, normaliseName } from "./names.ts";
import { type Cidr, cidrContains, type Ip, makeCidr } from "./ranges.ts";
import { type SsrfOptions, SsrfOptionsError } from "./types.ts";

/** Options in the form the judges use. */
export interface GuardPolicy {
  readonly cidrs: readonly Cidr[];
  readonly names: ReadonlySet<string>;
  /** Suffixes from `*.suffix` entries, stored with their leading dot. */
  readonly suffixes: readonly string[];
  readonly schemes: ReadonlySet<string>;
}

const DEFAULT_SCHEMES = ["http", "https"];
const cache = new WeakMap<SsrfOptions, GuardPolicy>();

let defaultPolicy: GuardPolicy | undefined;

/** Compiles (and caches per options object) the policy behind a set of options. */
export function compilePolicy(options: SsrfOptions = {}): GuardPolicy {
  if (options.allow === undefined && options.schemes === undefined) {
    defaultPolicy ??= compileOptions({});
    return defaultPolicy;
  }
  const cached = cache.get(options);
  if (cached) return cached;
  const policy = compileOptions(options);
  cache.set(options, policy);
  return policy;
}

function compileOptions(options: SsrfOptions): GuardPolicy {
  const cidrs: Cidr[] = [];
  const names = new Set<string>();
  const suffixes: string[] = [];
  (options.allow ?? []).forEach((entry, index) => {
    const target = compileEntry(entry, index);
    if (typeof target === "string") {
      if (target.startsWith(".")) suffixes.push(target);
      else names.add(target);
    } else {
      cidrs.push(target);
    }
  });

  const schemes = new Set((options.schemes ?? DEFAULT_SCHEMES).map((s) => s.toLowerCase()));
  return { cidrs, names, suffixes, schemes };
}

/** One allowlist entry as a prefix, a name, or a `.suffix`; throws when it is none of them. */
function compileEntry(entry: unknown, index: number): Cidr | string {
  if (typeof entry !== "string") {
    throw new SsrfOptionsError(`allow[${index}]: expected a string, got ${typeof entry}`);
  }
  if (entry.includes("/") || entry.includes(":") || /^[0-9.]+$/.test(entry)) {
    const prefix = parseCidrResult(entry);
    if (prefix instanceof NetParseError) {
      throw new SsrfOptionsError(`allow[${index}]: ${prefix.message}`);
    }
    return makeCidr(prefix.address.family, ipToBigInt(prefix.address), prefix.length);
  }

  const wildcard = entry.startsWith("*.");
  const name = normaliseName(wildcard ? entry.slice(2) : entry);
  if (!isDnsName(name)) {
    throw new SsrfOptionsError(`allow[${index}]: expected a CIDR or hostname, got "${entry}"`);
  }
  return wildcard ? `.${name}` : name;
}

/** True when the allowlist names this (normalised) host. */
export function nameAllowed(policy: GuardPolicy, name: string): boolean {
  return policy.names.has(name) || policy.suffixes.some((suffix) => name.endsWith(suffix));
}

/** True when an allowlisted prefix contains the address or an IPv4 it carries. */
export function addressAllowed(policy: GuardPolicy, ips: readonly Ip[]): boolean {
  return policy.cidrs.some((cidr) => ips.some((ip) => cidrContains(cidr, ip)));
}
