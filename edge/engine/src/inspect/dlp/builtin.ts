import { cardIssuer, ibanValid, jwtHeaderValid, luhnValid, ssnValid } from "./validators.ts";

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

/**
 * Reads a run of digits with single space or dash separators, as card numbers are written.
 * `cuts` holds, for each separator, the run's end and digit count just before it, so a card
 * followed by another number ("4111 1111 1111 1111 42") can still be read on its own.
 */
function readDigitRun(s: string, start: number): { end: number; digits: string; cuts: number[][] } {
  let i = start;
  let digits = "";
  const cuts: number[][] = [];
  while (i < s.length && digits.length <= 19) {
    const c = s.charCodeAt(i);
    if (is(DIGIT, c)) {
      digits += s[i];
      i++;
    } else if ((c === 32 || c === 45) && is(DIGIT, s.charCodeAt(i + 1))) {
      cuts.push([i, digits.length]);
      i++;
    } else break;
  }
  return { end: i, digits, cuts };
}

/** Printed cards group digits with one kind of separator, in groups of four or more but the last. */
const CARD_GROUPING = /^\d+$|^(?:\d{4,} )+\d+$|^(?:\d{4,}-)+\d+$/;

function cardHit(s: string, start: number, end: number, d: string, out: DlpHit[]): boolean {
  if (d.length < 12 || d.length > 19 || is(ALNUM, s.charCodeAt(end)) || !luhnValid(d)) return false;
  if (!CARD_GROUPING.test(s.slice(start, end))) return false;
  const issuer = cardIssuer(d);
  if (issuer)
    out.push({ detector: "credit-card", start, end, evidence: `${issuer} ****${d.slice(-4)}` });
  return issuer !== undefined;
}

export function cardAt(s: string, i: number, out: DlpHit[]): number {
  const run = readDigitRun(s, i);
  // An SSN is read on its own shape: a number may follow it after a space ("123-45-6789 42").
  const ssn = /^(\d{3})-(\d{2})-(\d{4})(?![A-Za-z0-9]|-\d)/.exec(s.slice(i, i + 13));
  if (ssn && ssnValid(ssn[1] ?? "", ssn[2] ?? "", ssn[3] ?? "")) {
    out.push({ detector: "us-ssn", start: i, end: i + 11, evidence: `***-**-${ssn[3]}` });
    return i + 11;
  }
  if (cardHit(s, i, run.end, run.digits, out)) return run.end;
  for (const [end = 0, count = 0] of [...run.cuts].reverse()) {
    if (count < 12) break;
    if (cardHit(s, i, end, run.digits.slice(0, count), out)) return end;
  }
  return run.end;
}

export function ibanAt(s: string, i: number, out: DlpHit[]): number {
  let j = i + 4;
  let compact = s.slice(i, i + 4);
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
