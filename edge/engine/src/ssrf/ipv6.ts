/**
 * IPv6 text and the IPv4 addresses hidden inside IPv6. An IPv6 destination that carries an IPv4
 * (mapped, compatible, SIIT-translated, NAT64, 6to4, Teredo) reaches that IPv4 through some
 * translator or tunnel, so the guard judges it by the IPv4 it carries.
 */

const MASK_32 = 0xffffffffn;
const HEX_GROUP = /^[0-9a-f]{1,4}$/i;
const DOTTED_QUAD = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** Reads a dotted-quad tail as two 16-bit groups; leading zeros are read as decimal. */
function tailGroups(text: string): number[] | null {
  const match = DOTTED_QUAD.exec(text);
  if (!match) return null;
  const octets = match.slice(1).map(Number);
  if (octets.some((octet) => octet > 255)) return null;
  const [a = 0, b = 0, c = 0, d = 0] = octets;
  return [(a << 8) | b, (c << 8) | d];
}

/** Reads colon-separated groups, allowing a dotted-quad only as the very last one. */
function readGroups(text: string, allowTail: boolean): number[] | null {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];

  for (const [i, part] of parts.entries()) {
    if (allowTail && i === parts.length - 1 && part.includes(".")) {
      const tail = tailGroups(part);
      if (!tail) return null;
      groups.push(...tail);
    } else if (HEX_GROUP.test(part)) {
      groups.push(Number.parseInt(part, 16));
    } else {
      return null;
    }
  }
  return groups;
}

/** Parses IPv6 text without brackets or zone into a 128-bit value, or null. */
export function parseIpv6(text: string): bigint | null {
  const halves = text.split("::");
  if (halves.length > 2) return null;

  const head = readGroups(halves[0] ?? "", halves.length === 1);
  const tail = halves.length === 2 ? readGroups(halves[1] ?? "", true) : [];
  if (!head || !tail) return null;

  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;

  const groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  return groups.reduce((value, group) => (value << 16n) | BigInt(group), 0n);
}

/** RFC 5952 text: lowercase, no leading zeros, the first longest zero run (2+) as `::`. */
export function formatIpv6(value: bigint): string {
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) =>
    Number((value >> s) & 0xffffn),
  );
  let bestStart = -1;
  let bestLength = 0;
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      if (i - start > bestLength) [bestStart, bestLength] = [start, i - start];
      start = -1;
    }
  }

  const hex = groups.map((group) => group.toString(16));
  if (bestLength < 2) return hex.join(":");
  return `${hex.slice(0, bestStart).join(":")}::${hex.slice(bestStart + bestLength).join(":")}`;
}

/** Bits `from`..`to` inclusive, counted from the most significant bit of a 128-bit value. */
function bits(value: bigint, from: number, to: number): bigint {
  const width = BigInt(to - from + 1);
  return (value >> BigInt(127 - to)) & ((1n << width) - 1n);
}

/** RFC 6052 readings of an IPv4 inside a NAT64 prefix of each permitted length. */
function nat64Readings(value: bigint, lengths: readonly number[]): bigint[] {
  const layouts: Record<number, () => bigint> = {
    32: () => bits(value, 32, 63),
    40: () => (bits(value, 40, 63) << 8n) | bits(value, 72, 79),
    48: () => (bits(value, 48, 63) << 16n) | bits(value, 72, 87),
    56: () => (bits(value, 56, 63) << 24n) | bits(value, 72, 95),
    64: () => bits(value, 72, 103),
    96: () => bits(value, 96, 127),
  };
  return lengths.map((length) => layouts[length]?.() ?? 0n);
}

/** Which IPv6 mechanism carries an IPv4, for documentation and debugging. */
export type Ipv4Carrier = "mapped" | "translated" | "compatible" | "nat64" | "6to4" | "teredo";

/** The IPv4 addresses an IPv6 address carries; empty when it carries none. */
export function embeddedIpv4(value: bigint): { carrier: Ipv4Carrier; ipv4: bigint[] } | null {
  const top96 = value >> 32n;
  const low = value & MASK_32;

  if (top96 === 0xffffn) return { carrier: "mapped", ipv4: [low] };
  if (top96 === 0xffff0000n) return { carrier: "translated", ipv4: [low] };
  if (top96 === 0n && value > 1n) return { carrier: "compatible", ipv4: [low] };
  if (top96 === 0x64ff9b0000000000000000n) return { carrier: "nat64", ipv4: [low] };
  if (value >> 80n === 0x64ff9b0001n) {
    return { carrier: "nat64", ipv4: nat64Readings(value, [48, 56, 64, 96]) };
  }
  if (value >> 112n === 0x2002n) return { carrier: "6to4", ipv4: [bits(value, 16, 47)] };
  if (value >> 96n === 0x20010000n) {
    return { carrier: "teredo", ipv4: [bits(value, 32, 63), low ^ MASK_32] };
  }
  return null;
}
