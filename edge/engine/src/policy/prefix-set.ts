import {
  bigIntToIp,
  familyBits,
  formatCidr,
  formatIp,
  type IpAddress,
  type IpPrefix,
  ipToBigInt,
  parseCidr,
  rangeToPrefixes,
} from "../net/index.ts";

/** An inclusive numeric address range of one family. */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** An IPv4 address as a plain number (exact: 32 bits fit a double). */
function ipv4Value(bytes: Uint8Array): number {
  return (
    (bytes[0] ?? 0) * 2 ** 24 + (((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0))
  );
}

/** The address as an unsigned integer; IPv4 skips the byte-by-byte BigInt loop. */
function addressValue(address: IpAddress): bigint {
  return address.family === 4 ? BigInt(ipv4Value(address.bytes)) : ipToBigInt(address);
}

/** The inclusive range a prefix covers. */
export function prefixRange(prefix: IpPrefix): AddressRange {
  const first = addressValue(prefix.address);
  const hostBits = familyBits(prefix.address.family) - prefix.length;
  const last = hostBits === 0 ? first : first + (1n << BigInt(hostBits)) - 1n;
  return { family: prefix.address.family, first, last };
}

/** Sorts ranges (IPv4 first) and merges overlapping and adjacent ones. */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = [...ranges].sort((a, b) =>
    a.family !== b.family
      ? a.family - b.family
      : a.first < b.first
        ? -1
        : a.first > b.first
          ? 1
          : 0,
  );
  const merged: AddressRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && last.family === range.family && range.first <= last.last + 1n) {
      if (range.last > last.last) merged[merged.length - 1] = { ...last, last: range.last };
      continue;
    }
    merged.push(range);
  }
  return merged;
}

/** Removes every address in `minus` from `ranges`; both must be merged (sorted, disjoint). */
export function subtractRanges(
  ranges: readonly AddressRange[],
  minus: readonly AddressRange[],
): AddressRange[] {
  const out: AddressRange[] = [];
  for (const range of ranges) {
    let pieces: AddressRange[] = [range];
    for (const cut of minus) {
      if (cut.family !== range.family) continue;
      pieces = pieces.flatMap((piece) => cutRange(piece, cut));
    }
    out.push(...pieces);
  }
  return out;
}

function cutRange(piece: AddressRange, cut: AddressRange): AddressRange[] {
  if (cut.last < piece.first || cut.first > piece.last) return [piece];
  const kept: AddressRange[] = [];
  if (cut.first > piece.first) kept.push({ ...piece, last: cut.first - 1n });
  if (cut.last < piece.last) kept.push({ ...piece, first: cut.last + 1n });
  return kept;
}

function ipv4Text(value: number): string {
  return `${Math.floor(value / 2 ** 24)}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/**
 * The minimal CIDR cover of an IPv4 range in plain numbers: at each start, the largest block
 * aligned there that stays inside the range. The same walk as rangeToPrefixes without BigInt,
 * which dominated resolving large inventories.
 */
function ipv4Cidrs(first: number, last: number, out: string[]): void {
  let start = first;
  while (start <= last) {
    let length = 32;
    while (length > 0) {
      const block = 2 ** (33 - length);
      if (start % block !== 0 || start + block - 1 > last) break;
      length--;
    }
    out.push(`${ipv4Text(start)}/${length}`);
    start += 2 ** (32 - length);
  }
}

const CANONICAL_V4_CIDR =
  /^(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\.(0|[1-9]\d{0,2})\/(0|[1-9]\d?)$/;

/**
 * Parses a CIDR of a resolved policy. The canonical IPv4 spelling that resolvePolicy emits
 * (hundreds of thousands per bundle) is read with one regular expression; anything else,
 * including every invalid input, goes through parseCidr, so results and errors are its own.
 */
export function parseCanonicalCidr(text: string): IpPrefix {
  const match = CANONICAL_V4_CIDR.exec(text);
  if (match) {
    const octets = [match[1], match[2], match[3], match[4]].map(Number);
    const length = Number(match[5]);
    const value = ((octets[0] ?? 0) << 24) | ((octets[1] ?? 0) << 16) | ((octets[2] ?? 0) << 8);
    const full = (value | (octets[3] ?? 0)) >>> 0;
    const hostMask = length === 0 ? 0xffffffff : 2 ** (32 - length) - 1;
    const inRange = octets.every((o) => o <= 255) && length <= 32;
    if (inRange && full % (hostMask + 1) === 0)
      return { address: { family: 4, bytes: Uint8Array.from(octets) }, length };
  }
  return parseCidr(text);
}

/** The canonical CIDR strings of merged ranges: minimal cover, IPv4 before IPv6, ascending. */
export function rangesToCidrs(ranges: readonly AddressRange[]): string[] {
  const out: string[] = [];
  for (const range of ranges) {
    if (range.family === 4) ipv4Cidrs(Number(range.first), Number(range.last), out);
    else if (range.first === range.last) out.push(`${formatIp(bigIntToIp(range.first, 6))}/128`);
    else {
      const prefixes = rangeToPrefixes(bigIntToIp(range.first, 6), bigIntToIp(range.last, 6));
      for (const prefix of prefixes) out.push(formatCidr(prefix));
    }
  }
  return out;
}

/** Aggregates prefixes into their canonical CIDR list. */
export function aggregatePrefixes(prefixes: readonly IpPrefix[]): string[] {
  return rangesToCidrs(mergeRanges(prefixes.map(prefixRange)));
}
