/**
 * The judges every mode shares: one for a numeric address, one for a hostname's own rules.
 * Metadata is checked first and returns before the allowlist is consulted, which is what makes
 * metadata endpoints impossible to allowlist.
 */
import { embeddedIpv4 } from "./ipv6.ts";
import { isLoopbackName, metadataName } from "./names.ts";
import { addressAllowed, type GuardPolicy, nameAllowed } from "./policy.ts";
import { classifyAddress, formatAddress, type Ip, metadataEndpoint } from "./ranges.ts";
import type { SsrfResult } from "./types.ts";

/** The address itself and every IPv4 it carries: the destinations a packet to it may reach. */
function destinationsOf(ip: Ip): Ip[] {
  if (ip.family === 4) return [ip];
  const embedded = embeddedIpv4(ip.value);
  if (!embedded) return [ip];
  return embedded.ipv4.map((value) => ({ family: 4, value }));
}

/**
 * Judges one numeric address. `hostAllowed` is true when the hostname it came from is on the
 * allowlist, which opens non-global space for that name but never metadata.
 */
export function judgeAddress(ip: Ip, policy: GuardPolicy, hostAllowed = false): SsrfResult {
  const address = formatAddress(ip);
  const destinations = destinationsOf(ip);

  for (const candidate of [ip, ...destinations]) {
    const endpoint = metadataEndpoint(candidate);
    if (endpoint) {
      return {
        verdict: "block",
        reason: "metadata-address",
        address,
        category: "metadata",
        endpoint,
      };
    }
  }

  const category = destinations.map(classifyAddress).find((found) => found !== null) ?? null;
  if (category === null) return { verdict: "allow", reason: "public-address", address };

  if (hostAllowed || addressAllowed(policy, [ip, ...destinations])) {
    return { verdict: "allow", reason: "allowlisted", address, category };
  }
  return { verdict: "block", reason: "non-global-address", address, category };
}

/**
 * Judges a normalised hostname by its own rules. Returns null when no rule speaks about it,
 * leaving the decision to the caller (allow lexically, or resolve and judge the addresses).
 */
export function judgeName(name: string, policy: GuardPolicy): SsrfResult | null {
  const endpoint = metadataName(name);
  if (endpoint) {
    return { verdict: "block", reason: "metadata-hostname", category: "metadata", endpoint };
  }

  if (isLoopbackName(name)) {
    if (nameAllowed(policy, name)) {
      return { verdict: "allow", reason: "allowlisted", category: "loopback" };
    }
    return { verdict: "block", reason: "localhost-hostname", category: "loopback" };
  }
  return null;
}

/** The most important of several blocks: metadata first, then the first block found. */
export function firstBlock(results: readonly SsrfResult[]): SsrfResult | undefined {
  const blocks = results.filter((result) => result.verdict === "block");
  return blocks.find((result) => result.category === "metadata") ?? blocks[0];
}
