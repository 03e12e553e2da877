/**
 * Strict, canonical IP address parsing for policy and inventory documents.
 *
 * Only the textual forms a cloud API or a careful human writes are accepted: dotted-quad IPv4
 * with decimal octets and no leading zeros (a leading zero is octal to some parsers, so it is
 * ambiguous), and RFC 4291 IPv6 with an optional dotted-quad tail. Zone identifiers are
 * rejected because a policy prefix has no scope. Exotic spellings that attackers use against
 * SSRF filters are the SSRF guard's business, not this module's.
 */

/** An IP address in numeric form: 4 bytes for IPv4, 16 bytes for IPv6, network byte order. */
export interface IpAddress {
  readonly family: 4 | 6;
  readonly bytes: Uint8Array;
}

/** Thrown when a string is not a canonical IP address, CIDR or range; names the input. */
export class NetParseError extends Error {
  override readonly name = "NetParseError";

  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`invalid address "${input}": ${reason}`);
  }
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/**
 * Parses a dotted-quad IPv4 address, or returns a reason why it is not one. A character loop
 * rather than split and regexes, because every decision parses two addresses.
 */
function parseIpv4Bytes(text: string): Uint8Array | string {
  let dots = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 46) dots++;
  if (dots !== 3) return "IPv4 needs exactly four dot-separated octets";

  const bytes = new Uint8Array(4);
  let octet = 0;
  let value = 0;
  let digits = 0;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : 46;
    if (code === 46) {
      if (digits === 0 || octet > 3) return "IPv4 needs exactly four dot-separated octets";
      bytes[octet++] = value;
      value = 0;
      digits = 0;
      continue;
    }
    if (code < 48 || code > 57)
      return `octet "${octetText(text, i)}" is not a decimal 0-255 without leading zeros`;
    if (digits > 0 && value === 0)
      return `octet "${octetText(text, i)}" is not a decimal 0-255 without leading zeros`;
    value = value * 10 + (code - 48);
    digits++;
    if (value > 255) return `octet "${octetText(text, i)}" is greater than 255`;
  }
  return octet === 4 ? bytes : "IPv4 needs exactly four dot-separated octets";
}

/** The dot-separated part of `text` around position `at`, for error messages. */
function octetText(text: string, at: number): string {
  const start = text.lastIndexOf(".", at - 1) + 1;
  const end = text.indexOf(".", at);
  return text.slice(start, end < 0 ? text.length : end);
}

/** Expands one side of a "::" into 16-bit groups, allowing a dotted-quad tail when asked. */
function parseGroups(text: string, allowV4Tail: boolean): number[] | string {
  if (text === "") return [];
  const parts = text.split(":");
  const groups: number[] = [];

  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] ?? "";
    const isLast = i === parts.length - 1;
    if (isLast && allowV4Tail && part.includes(".")) {
      const v4 = parseIpv4Bytes(part);
      if (typeof v4 === "string") return v4;
      groups.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      continue;
    }
    if (!HEX_GROUP.test(part)) return `group "${part}" is not 1-4 hexadecimal digits`;
    groups.push(Number.parseInt(part, 16));
  }
  return groups;
}

/** Parses an RFC 4291 IPv6 address, or returns a reason why it is not one. */
function parseIpv6Bytes(text: string): Uint8Array | string {
  if (text.includes("%")) return "zone identifiers are not allowed in policy addresses";

  const halves = text.split("::");
  if (halves.length > 2) return `"::" may appear only once`;

  let groups: number[];
  if (halves.length === 2) {
    const head = parseGroups(halves[0] ?? "", false);
    const tail = parseGroups(halves[1] ?? "", true);
    if (typeof head === "string") return head;
    if (typeof tail === "string") return tail;
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return `"::" must stand for at least one group`;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    const all = parseGroups(text, true);
    if (typeof all === "string") return all;
    if (all.length !== 8) return 'IPv6 needs eight groups or a "::"';
    groups = all;
  }

  const bytes = new Uint8Array(16);
  groups.forEach((group, i) => {
    bytes[i * 2] = group >> 8;
    bytes[i * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** Parses an IPv4 or IPv6 address strictly; returns the reason on failure. */
export function parseIpResult(text: string): IpAddress | NetParseError {
  if (typeof text !== "string") return new NetParseError(String(text), "not a string");
  if (text.length === 0 || text.length > 45) return new NetParseError(text, "wrong length");

  const bytes = text.includes(":") ? parseIpv6Bytes(text) : parseIpv4Bytes(text);
  if (typeof bytes === "string") return new NetParseError(text, bytes);
  return { family: bytes.length === 4 ? 4 : 6, bytes };
}

/** Parses an IPv4 or IPv6 address strictly; throws {@link NetParseError} when it is not one. */
export function parseIp(text: string): IpAddress {
  const result = parseIpResult(text);
  if (result instanceof NetParseError) throw result;
  return result;
}

/** Parses an address strictly, returning undefined instead of throwing. */
export function tryParseIp(text: string): IpAddress | undefined {
  const result = parseIpResult(text);
  return result instanceof NetParseError ? undefined : result;
}

/** True when the text is a strictly valid IPv4 or IPv6 address. */
export function isIp(text: string): boolean {
  return !(parseIpResult(text) instanceof NetParseError);
}

/**
 * Returns the embedded IPv4 address of an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), and any
 * other address unchanged, so that a policy on 10.0.0.0/8 also covers `::ffff:10.1.2.3`.
 */
export function unmapIpv4(address: IpAddress): IpAddress {
  if (address.family !== 6) return address;
  const b = address.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return address;
  if (b[10] !== 0xff || b[11] !== 0xff) return address;
  return { family: 4, bytes: b.slice(12, 16) };
}

/** Formats an address canonically: dotted quad, or RFC 5952 IPv6 (lower case, longest "::"). */
export function formatIp(address: IpAddress): string {
  const b = address.bytes;
  if (address.family === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;

  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((b[i * 2] ?? 0) << 8) | (b[i * 2 + 1] ?? 0));

  const [runStart, runLength] = longestZeroRun(groups);
  const hex = groups.map((g) => g.toString(16));
  if (runLength < 2) return hex.join(":");
  const head = hex.slice(0, runStart).join(":");
  const tail = hex.slice(runStart + runLength).join(":");
  return `${head}::${tail}`;
}

/** Finds the first longest run of zero groups (RFC 5952 section 4.2.3). */
function longestZeroRun(groups: number[]): [number, number] {
  let best: [number, number] = [-1, 0];
  let start = -1;
  for (let i = 0; i <= groups.length; i++) {
    if (i < groups.length && groups[i] === 0) {
      if (start < 0) start = i;
      continue;
    }
    if (start >= 0 && i - start > best[1]) best = [start, i - start];
    start = -1;
  }
  return best;
}

/** Canonical text of an address given as text, unmapping IPv4-mapped IPv6; throws when invalid. */
export function canonicalIp(text: string): string {
  return formatIp(unmapIpv4(parseIp(text)));
}

/** The address as an unsigned integer, for range arithmetic (not for hot paths). */
export function ipToBigInt(address: IpAddress): bigint {
  let value = 0n;
  for (const byte of address.bytes) value = (value << 8n) | BigInt(byte);
  return value;
}

/** Builds an address of the given family from an unsigned integer. */
export function bigIntToIp(value: bigint, family: 4 | 6): IpAddress {
  const length = family === 4 ? 4 : 16;
  const bytes = new Uint8Array(length);
  let rest = value;
  for (let i = length - 1; i >= 0; i--) {
    bytes[i] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return { family, bytes };
}

/** Compares two addresses of the same family numerically (negative, zero or positive). */
export function compareIp(a: IpAddress, b: IpAddress): number {
  if (a.family !== b.family) return a.family - b.family;
  for (let i = 0; i < a.bytes.length; i++) {
    const diff = (a.bytes[i] ?? 0) - (b.bytes[i] ?? 0);
    if (diff !== 0) return diff;
  }
  return 0;
}
