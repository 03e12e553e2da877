import {
  bigIntToIp,
  familyBits,
  formatCidr,
  formatIp,
  type IpPrefix,
  ipToBigInt,
  rangeToPrefixes,
} from "../net/index.ts";

/** An inclusive numeric address range of one family. */
export interface AddressRange {
  readonly family: 4 | 6;
  readonly first: bigint;
  readonly last: bigint;
}

/** The inclusive range a prefix covers. */
export function prefixRange(prefix: IpPrefix): AddressRange {
  const hostBits = BigInt(familyBits(prefix.address.family) - prefix.length);
  const first = ipToBigInt(prefix.address);
  return { family: prefix.address.family, first, last: first + (1n << hostBits) - 1n };
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

/** The canonical CIDR strings of merged ranges: minimal cover, IPv4 before IPv6, ascending. */
export function rangesToCidrs(ranges: readonly AddressRange[]): string[] {
  return ranges.flatMap((range) =>
    range.first === range.last
      ? [`${formatIp(bigIntToIp(range.first, range.family))}/${familyBits(range.family)}`]
      : rangeToPrefixes(
          bigIntToIp(range.first, range.family),
          bigIntToIp(range.last, range.family),
        ).map(formatCidr),
  );
}

/** Aggregates prefixes into their canonical CIDR list. */
export function aggregatePrefixes(prefixes: readonly IpPrefix[]): string[] {
  return rangesToCidrs(mergeRanges(prefixes.map(prefixRange)));
}
