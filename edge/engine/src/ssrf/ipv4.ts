/**
 * IPv4 spellings. `parseIpv4Whatwg` follows the WHATWG URL standard's IPv4 parser exactly
 * (decimal, `0`-prefixed octal, `0x` hex, one to four parts), because that is the parser our
 * own clients connect with. `ipv4Readings` is deliberately looser: it lists every address some
 * other parser could read from the same text (wrapping overlong numbers, ignoring octal
 * prefixes, taking four parts of five), so lexical checks can block what a backend might reach.
 */

const TWO_32 = 1n << 32n;
/** 256 ** (4 - i): the width of the last part when there are i + 1 parts. */
const LAST_PART_LIMIT = [1n << 32n, 1n << 24n, 1n << 16n, 1n << 8n];
const BYTE_WEIGHT = [1n << 24n, 1n << 16n, 1n << 8n];
const HEX_DIGITS = /^[0-9a-f]+$/i;
const OCTAL_DIGITS = /^[0-7]+$/;
const DECIMAL_DIGITS = /^[0-9]+$/;
const NUMERIC_LABEL = /^(?:0x[0-9a-f]*|[0-9]+)$/i;

/** How a part's leading `0` is read: octal (WHATWG, inet_aton) or plain decimal. */
type ZeroRule = "octal" | "decimal";

/** Reads one dot-separated part as a number, or null when it is not a number in any radix. */
function readPart(part: string, zeros: ZeroRule): bigint | null {
  if (part === "") return null;
  if (/^0x/i.test(part)) {
    const digits = part.slice(2);
    if (digits === "") return 0n;
    return HEX_DIGITS.test(digits) ? BigInt(`0x${digits}`) : null;
  }
  if (zeros === "octal" && part.length > 1 && part.startsWith("0")) {
    const digits = part.slice(1);
    return OCTAL_DIGITS.test(digits) ? BigInt(`0o${digits}`) : null;
  }
  return DECIMAL_DIGITS.test(part) ? BigInt(part) : null;
}

/** Splits a host into labels, dropping one trailing empty label as the URL standard does. */
function labelsOf(host: string): string[] {
  const labels = host.split(".");
  if (labels.length > 1 && labels[labels.length - 1] === "") labels.pop();
  return labels;
}

/**
 * The URL standard's "ends in a number" test: when true, the host must parse as IPv4 or the
 * URL is invalid, so such a host is never treated as a name.
 */
export function endsInNumber(host: string): boolean {
  const last = labelsOf(host).at(-1) ?? "";
  if (last !== "" && DECIMAL_DIGITS.test(last)) return true;
  return /^0x/i.test(last) && readPart(last, "octal") !== null;
}

/** True when every label is a number in some radix, so other parsers may read an address. */
export function looksNumeric(host: string): boolean {
  const labels = labelsOf(host);
  return labels.length > 0 && labels.every((label) => NUMERIC_LABEL.test(label));
}

/** Parses IPv4 exactly as the WHATWG URL parser does; returns the 32-bit value or null. */
export function parseIpv4Whatwg(host: string): bigint | null {
  const labels = labelsOf(host);
  if (labels.length === 0 || labels.length > 4) return null;

  const numbers: bigint[] = [];
  for (const label of labels) {
    const value = readPart(label, "octal");
    if (value === null) return null;
    numbers.push(value);
  }

  const last = numbers.pop() ?? 0n;
  if (numbers.some((n) => n > 255n)) return null;
  if (last >= (LAST_PART_LIMIT[labels.length - 1] ?? 0n)) return null;
  return combine(numbers, last);
}

/** Places leading one-byte parts from the top and the last part in the remaining low bits. */
function combine(leading: readonly bigint[], last: bigint): bigint {
  let value = last;
  leading.forEach((n, i) => {
    value += n * (BYTE_WEIGHT[i] ?? 0n);
  });
  return value;
}

/** One reading of numeric parts with every overflow wrapped, as lax parsers do. */
function wrappedReading(numbers: readonly bigint[]): bigint {
  const leading = numbers.slice(0, -1).map((n) => n % 256n);
  const lastWidth = LAST_PART_LIMIT[numbers.length - 1] ?? TWO_32;
  const last = (numbers.at(-1) ?? 0n) % lastWidth;
  return combine(leading, last) % TWO_32;
}

/**
 * Every 32-bit address that some parser could read from a numeric-looking host: the WHATWG
 * reading, the same text with leading zeros read as decimal, overflowing parts wrapped, and for
 * more than four parts the first and the last four. Empty when the host does not look numeric.
 */
export function ipv4Readings(host: string): bigint[] {
  if (!looksNumeric(host)) return [];
  const labels = labelsOf(host);
  const readings = new Set<bigint>();

  for (const zeros of ["octal", "decimal"] as const) {
    const numbers = labels.map((label) => readPart(label, zeros));
    if (numbers.some((n) => n === null)) continue;
    const values = numbers.filter((n): n is bigint => n !== null);
    const groups = values.length > 4 ? [values.slice(0, 4), values.slice(-4)] : [values];
    for (const group of groups) readings.add(wrappedReading(group));
  }
  return [...readings];
}

/** Dotted-quad text of a 32-bit value. */
export function formatIpv4(value: bigint): string {
  const octets = [24n, 16n, 8n, 0n].map((shift) => ((value >> shift) & 0xffn).toString());
  return octets.join(".");
}
