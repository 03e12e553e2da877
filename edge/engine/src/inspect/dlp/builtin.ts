import { cardIssuer, ibanValid, jwtHeaderValid } from "./validators.ts";

/** One validated finding in a scanned window, with byte offsets into that window. */
export interface DlpHit {
  detector: string;
  start: number;
  end: number;
  /** Redacted form, safe for events and logs. */
  evidence: string;
}

/** Names of the built-in detectors. */
export const BUILTIN_DETECTORS = [
  "credit-card",
  "us-ssn",
  "iban",
  "aws-access-key-id",
  "aws-secret-key",
  "private-key",
  "jwt",
  "email",
] as const;
export type BuiltinDetector = (typeof BUILTIN_DETECTORS)[number];

export const DIGIT = new Uint8Array(128);
export const ALNUM = new Uint8Array(128);
const B64URL = new Uint8Array(128);
export const B64 = new Uint8Array(128);
const EMAIL_LOCAL = new Uint8Array(128);
const DOMAIN = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  DIGIT[c] = /[0-9]/.test(ch) ? 1 : 0;
  ALNUM[c] = /[0-9A-Za-z]/.test(ch) ? 1 : 0;
  B64URL[c] = /[0-9A-Za-z_-]/.test(ch) ? 1 : 0;
  B64[c] = /[0-9A-Za-z/+]/.test(ch) ? 1 : 0;
  EMAIL_LOCAL[c] = /[0-9A-Za-z._%+-]/.test(ch) ? 1 : 0;
  DOMAIN[c] = /[0-9A-Za-z.-]/.test(ch) ? 1 : 0;
}

export function is(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/*
 * The digits of the run being read and, per separator, the kind (space or dash) and how many
 * digits came before it. Module buffers rather than strings and arrays: a body holds many runs
 * and most are not cards, so reading one allocates nothing until a checksum passes.
 */
const RUN_DIGITS = new Uint8Array(24);
const CUT_END = new Int32Array(24);
const CUT_COUNT = new Uint8Array(24);
const CUT_KIND = new Uint8Array(24);

/** A US SSN (ddd-dd-dddd) at `i`; a number may follow it after a space ("123-45-6789 42"). */
function ssnAt(s: string, i: number, out: DlpHit[]): boolean {
  if (s.charCodeAt(i + 3) !== 45 || s.charCodeAt(i + 6) !== 45) return false;
  let area = 0;
  let group = 0;
  let serial = 0;
  for (let k = 0; k < 11; k++) {
    if (k === 3 || k === 6) continue;
    const d = s.charCodeAt(i + k) - 48;
    if (!(d >= 0 && d <= 9)) return false;
    if (k < 3) area = area * 10 + d;
    else if (k < 6) group = group * 10 + d;
    else serial = serial * 10 + d;
  }
  const next = s.charCodeAt(i + 11);
  if (is(ALNUM, next) || (next === 45 && is(DIGIT, s.charCodeAt(i + 12)))) return false;
  if (area === 0 || area === 666 || area >= 900 || group === 0 || serial === 0) return false;
  out.push({
    detector: "us-ssn",
    start: i,
    end: i + 11,
    evidence: `***-**-${s.slice(i + 7, i + 11)}`,
  });
  return true;
}

/** Printed cards group digits with one kind of separator, in groups of four or more but the last. */
function grouped(cuts: number): boolean {
  let before = 0;
  for (let g = 0; g < cuts; g++) {
    if (CUT_KIND[g] !== CUT_KIND[0] || (CUT_COUNT[g] ?? 0) - before < 4) return false;
    before = CUT_COUNT[g] ?? 0;
  }
  return true;
}

function luhn(n: number): boolean {
  let sum = 0;
  for (let k = 0; k < n; k++) {
    let d = RUN_DIGITS[n - 1 - k] ?? 0;
    if (k % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Judges the first `n` digits of the run, which ends at `end` after `cuts` separators. */
function cardHit(s: string, start: number, end: number, n: number, cuts: number, out: DlpHit[]) {
  if (n < 12 || n > 19 || is(ALNUM, s.charCodeAt(end)) || !grouped(cuts) || !luhn(n)) return false;
  const d = RUN_DIGITS;
  const issuer = cardIssuer(
    (d[0] ?? 0) * 1000 + (d[1] ?? 0) * 100 + (d[2] ?? 0) * 10 + (d[3] ?? 0),
    n,
  );
  if (issuer) {
    const last4 = `${d[n - 4]}${d[n - 3]}${d[n - 2]}${d[n - 1]}`;
    out.push({ detector: "credit-card", start, end, evidence: `${issuer} ****${last4}` });
  }
  return issuer !== undefined;
}

/**
 * Reads a run of up to 20 digits with single space or dash separators, as card numbers are
 * written, and judges it as an SSN or a card. A card followed by another number ("4111 1111
 * 1111 1111 42") is still read on its own, by trying the run up to each separator.
 */
export function cardAt(s: string, i: number, out: DlpHit[]): number {
  if (ssnAt(s, i, out)) return i + 11;
  let j = i;
  let n = 0;
  let cuts = 0;
  while (j < s.length && n <= 19) {
    const c = s.charCodeAt(j);
    if (c >= 48 && c <= 57) {
      RUN_DIGITS[n++] = c - 48;
      j++;
    } else if ((c === 32 || c === 45) && is(DIGIT, s.charCodeAt(j + 1))) {
      CUT_END[cuts] = j;
      CUT_COUNT[cuts] = n;
      CUT_KIND[cuts++] = c;
      j++;
    } else break;
  }
  if (cardHit(s, i, j, n, cuts, out)) return j;
  for (let k = cuts - 1; k >= 0; k--) {
    const count = CUT_COUNT[k] ?? 0;
    if (count < 12) break;
    const end = CUT_END[k] ?? 0;
    if (cardHit(s, i, end, count, k, out)) return end;
  }
  return j;
}

export function ibanAt(s: string, i: number, out: DlpHit[]): number {
  let j = i + 4;
  let compact = s.slice(i, i + 4).toUpperCase();
  while (j < s.length && compact.length < 34) {
    const c = s.charCodeAt(j);
    if (is(ALNUM, c)) {
      compact += s[j]?.toUpperCase();
      j++;
    } else if (c === 32 && is(ALNUM, s.charCodeAt(j + 1)) && compact.length % 4 === 0) j++;
    else break;
  }
  if (!is(ALNUM, s.charCodeAt(j)) && ibanValid(compact)) {
    out.push({
      detector: "iban",
      start: i,
      end: j,
      evidence: `${compact.slice(0, 4)}…${compact.slice(-2)}`,
    });
    return j;
  }
  return i + 1;
}

export const AWS_PREFIXES = new Set([
  "AKIA",
  "ASIA",
  "AIDA",
  "AROA",
  "AGPA",
  "ANPA",
  "ANVA",
  "AIPA",
  "ABIA",
  "ACCA",
]);

export function awsKeyAt(s: string, i: number, out: DlpHit[]): number {
  if (!AWS_PREFIXES.has(s.slice(i, i + 4))) return i + 1;
  const key = s.slice(i, i + 20);
  if (!/^[A-Z0-9]{20}$/.test(key) || is(ALNUM, s.charCodeAt(i + 20))) return i + 1;
  out.push({
    detector: "aws-access-key-id",
    start: i,
    end: i + 20,
    evidence: `${key.slice(0, 4)}…${key.slice(-4)}`,
  });
  return i + 20;
}

const SECRET_LABEL =
  /(?:aws_?secret_?access_?key|secret_?access_?key|aws_?secret|secretkey)["']?\s*[:=]\s*["']?$/i;

export function awsSecretAt(s: string, i: number, out: DlpHit[], sawKeyId: boolean): number {
  let j = i;
  while (j < s.length && j - i <= 40 && is(B64, s.charCodeAt(j))) j++;
  if (j - i !== 40 || is(B64, s.charCodeAt(i - 1))) return j > i ? j : i + 1;
  const token = s.slice(i, j);
  const labelled = SECRET_LABEL.test(s.slice(Math.max(0, i - 40), i));
  if ((labelled || sawKeyId) && /[a-z]/.test(token) && /[A-Z0-9]/.test(token)) {
    out.push({
      detector: "aws-secret-key",
      start: i,
      end: j,
      evidence: `[40-char secret …${token.slice(-2)}]`,
    });
  }
  return j;
}

export function jwtAt(s: string, i: number, out: DlpHit[]): number {
  let j = i;
  const dots: number[] = [];
  while (j < s.length && j - i < 8192) {
    const c = s.charCodeAt(j);
    if (c === 46 && dots.length < 2) dots.push(j);
    else if (!is(B64URL, c)) break;
    j++;
  }
  const [d1, d2] = dots;
  if (
    d1 !== undefined &&
    d2 !== undefined &&
    d1 - i >= 10 &&
    d2 - d1 > 10 &&
    jwtHeaderValid(s.slice(i, d1))
  ) {
    out.push({
      detector: "jwt",
      start: i,
      end: j,
      evidence: `jwt ${s.slice(i, Math.min(d1, i + 12))}…`,
    });
  }
  return j;
}

export const PEM =
  /^-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/;

export function emailAt(s: string, at: number, out: DlpHit[]): void {
  let a = at;
  while (a > 0 && at - a < 64 && is(EMAIL_LOCAL, s.charCodeAt(a - 1))) a--;
  let b = at + 1;
  while (b < s.length && b - at < 255 && is(DOMAIN, s.charCodeAt(b))) b++;
  while (b > at + 1 && s[b - 1] === ".") b--;
  const domain = s.slice(at + 1, b);
  if (a === at || !/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(domain)) return;
  out.push({ detector: "email", start: a, end: b, evidence: `${s[a]}***@${domain}` });
}
