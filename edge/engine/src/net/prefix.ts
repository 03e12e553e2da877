import {
  bigIntToIp,
  compareIp,
  formatIp,
  type IpAddress,
  ipToBigInt,
  NetParseError,
  parseIpResult,
  unmapIpv4,
} from "./address.ts";

/** An address prefix (CIDR block) whose host bits are all zero. */
export interface IpPrefix {
  readonly address: IpAddress;
  readonly length: number;
}

/** Options for {@link parseCidr}. */
export interface ParseCidrOptions {
  /**
   * When true, host bits after the prefix are cleared instead of rejected. Off by default:
   * `10.1.2.3/8` usually means the writer had a different block in mind.
   */
  readonly allowHostBits?: boolean;
}

const PREFIX_LENGTH = /^(?:0|[1-9][0-9]{0,2})$/;

/** The number of address bits in a family. */
export function familyBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

/** Returns the address with every bit after `length` cleared. */
export function maskAddress(address: IpAddress, length: number): IpAddress {
  const bytes = address.bytes.slice();
  for (let i = 0; i < bytes.length; i++) {
    const keep = Math.max(0, Math.min(8, length - i * 8));
    bytes[i] = (bytes[i] ?? 0) & ((0xff << (8 - keep)) & 0xff);
  }
  return { family: address.family, bytes };
}

/**
 * Parses `address/length` strictly, or a bare address as a host prefix. IPv4-mapped IPv6
 * prefixes of length 96 or more are unmapped to IPv4 so one block never has two spellings.
 */
export function parseCidrResult(
  text: string,
  options: ParseCidrOptions = {},
): IpPrefix | NetParseError {
  if (typeof text !== "string") return new NetParseError(String(text), "not a string");
  const slash = text.indexOf("/");
  const addressText = slash < 0 ? text : text.slice(0, slash);
  const parsed = parseIpResult(addressText);
  if (parsed instanceof NetParseError) return new NetParseError(text, parsed.reason);

  const bits = familyBits(parsed.family);
  let length = bits;
  if (slash >= 0) {
    const lengthText = text.slice(slash + 1);
    if (!PREFIX_LENGTH.test(lengthText))
      return new NetParseError(text, "prefix length is not a decimal number");
    length = Number(lengthText);
    if (length > bits) return new NetParseError(text, `prefix length exceeds ${bits}`);
  }

  const masked = maskAddress(parsed, length);
  if (!options.allowHostBits && compareIp(masked, parsed) !== 0) {
    const hint = `${formatIp(masked)}/${length}`;
    return new NetParseError(text, `host bits are set after the prefix (did you mean ${hint}?)`);
  }
  return unmapPrefix({ address: masked, length });
}

/** Parses a CIDR strictly; throws {@link NetParseError} when it is not one. */
export function parseCidr(text: string, options: ParseCidrOptions = {}): IpPrefix {
  const result = parseCidrResult(text, options);
  if (result instanceof NetParseError) throw result;
  return result;
}

/** Turns `::ffff:a.b.c.d/96+n` into `a.b.c.d/n`; other prefixes pass unchanged. */
export function unmapPrefix(prefix: IpPrefix): IpPrefix {
  if (prefix.address.family !== 6 || prefix.length < 96) return prefix;
  const unmapped = unmapIpv4(prefix.address);
  if (unmapped.family !== 4) return prefix;
  return { address: unmapped, length: prefix.length - 96 };
}

/** Canonical `address/length` text of a prefix. */
export function formatCidr(prefix: IpPrefix): string {
  return `${formatIp(prefix.address)}/${prefix.length}`;
}

/** True when the prefix contains the address (IPv4-mapped IPv6 addresses are unmapped first). */
export function prefixContains(prefix: IpPrefix, address: IpAddress): boolean {
  const candidate = unmapIpv4(address);
  if (candidate.family !== prefix.address.family) return false;
  return compareIp(maskAddress(candidate, prefix.length), prefix.address) === 0;
}

/** The smallest list of prefixes that covers exactly the inclusive range `first`..`last`. */
export function rangeToPrefixes(first: IpAddress, last: IpAddress): IpPrefix[] {
  if (first.family !== last.family) throw new RangeError("range ends are of different families");
  const bits = familyBits(first.family);
  let start = ipToBigInt(first);
  const end = ipToBigInt(last);
  if (start > end) throw new RangeError("range start is after its end");

  const prefixes: IpPrefix[] = [];
  while (start <= end) {
    let size = bits;
    while (size > 0) {
      const block = 1n << BigInt(bits - size + 1);
      const aligned = start % block === 0n;
      if (!aligned || start + block - 1n > end) break;
      size--;
    }
    prefixes.push({ address: bigIntToIp(start, first.family), length: size });
    start += 1n << BigInt(bits - size);
  }
  return prefixes;
}

/**
 * Parses one static address entry of a policy: an address, a CIDR, or an inclusive range
 * `first-last` of one family. Returns canonical prefixes.
 */
export function parseAddressEntry(text: string): IpPrefix[] {
  if (typeof text !== "string") throw new NetParseError(String(text), "not a string");
  const dash = text.indexOf("-");
  if (dash < 0) return [parseCidr(text)];

  const first = parseIpResult(text.slice(0, dash).trim());
  const last = parseIpResult(text.slice(dash + 1).trim());
  if (first instanceof NetParseError) throw new NetParseError(text, `range start: ${first.reason}`);
  if (last instanceof NetParseError) throw new NetParseError(text, `range end: ${last.reason}`);
  const a = unmapIpv4(first);
  const b = unmapIpv4(last);
  if (a.family !== b.family) throw new NetParseError(text, "range ends are of different families");
  if (compareIp(a, b) > 0) throw new NetParseError(text, "range start is after its end");
  return rangeToPrefixes(a, b);
}
