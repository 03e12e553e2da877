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

const DIGIT = new Uint8Array(128);
const ALNUM = new Uint8Array(128);
const B64URL = new Uint8Array(128);
const B64 = new Uint8Array(128);
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

function is(table: Uint8Array, code: number): boolean {
  return code < 128 && table[code] === 1;
}

/** Reads a run of digits with single space or dash separators, as card numbers are written. */
function readDigitRun(s: string, start: number): { end: number; digits: string } {
  let i = start;
  let digits = "";
  while (i < s.length && digits.length <= 19) {
    const c = s.charCodeAt(i);
    if (is(DIGIT, c)) {
      digits += s[i];
      i++;
    } else if ((c === 32 || c === 45) && is(DIGIT, s.charCodeAt(i + 1))) i++;
    else break;
  }
  return { end: i, digits };
}

function cardAt(s: string, i: number, out: DlpHit[]): number {
  const run = readDigitRun(s, i);
  const d = run.digits;
  const ssn = /^(\d{3})-(\d{2})-(\d{4})$/.exec(s.slice(i, run.end));
  if (
    ssn &&
    ssnValid(ssn[1] ?? "", ssn[2] ?? "", ssn[3] ?? "") &&
    !is(ALNUM, s.charCodeAt(run.end))
  ) {
    out.push({ detector: "us-ssn", start: i, end: run.end, evidence: `***-**-${ssn[3]}` });
  } else if (
    d.length >= 12 &&
    d.length <= 19 &&
    !is(ALNUM, s.charCodeAt(run.end)) &&
    luhnValid(d)
  ) {
    const issuer = cardIssuer(d);
    if (issuer)
      out.push({
        detector: "credit-card",
        start: i,
        end: run.end,
        evidence: `${issuer} ****${d.slice(-4)}`,
      });
  }
  return run.end;
}

function ibanAt(s: string, i: number, out: DlpHit[]): number {
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

const AWS_PREFIXES = new Set([
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

function awsKeyAt(s: string, i: number, out: DlpHit[]): number {
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

function awsSecretAt(s: string, i: number, out: DlpHit[], sawKeyId: boolean): number {
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

function jwtAt(s: string, i: number, out: DlpHit[]): number {
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

const PEM = /^-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/;

function emailAt(s: string, at: number, out: DlpHit[]): void {
  let a = at;
  while (a > 0 && at - a < 64 && is(EMAIL_LOCAL, s.charCodeAt(a - 1))) a--;
  let b = at + 1;
  while (b < s.length && b - at < 255 && is(DOMAIN, s.charCodeAt(b))) b++;
  while (b > at + 1 && s[b - 1] === ".") b--;
  const domain = s.slice(at + 1, b);
  if (a === at || !/^[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$/.test(domain)) return;
  out.push({ detector: "email", start: a, end: b, evidence: `${s[a]}***@${domain}` });
}

/**
 * Runs every built-in detector in one pass over `s` (bytes as latin1 characters). Each position
 * is looked at once, with cheap table lookups deciding which validator may start there; that is
 * what makes it many times faster than one combined regular expression.
 */
export function scanBuiltins(s: string, enabled: ReadonlySet<string>): DlpHit[] {
  const out: DlpHit[] = [];
  const cards = enabled.has("credit-card") || enabled.has("us-ssn");
  const secrets = enabled.has("aws-secret-key");
  const sawKeyId = secrets && /A(?:KI|SI)A[A-Z0-9]{16}/.test(s);
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    const prev = i > 0 ? s.charCodeAt(i - 1) : 32;
    if (is(ALNUM, prev) || (c === 64 && enabled.has("email"))) {
      if (c === 64 && enabled.has("email")) emailAt(s, i, out);
      i++;
      continue;
    }
    if (secrets && is(B64, c)) {
      const before = out.length;
      const end = awsSecretAt(s, i, out, sawKeyId);
      if (out.length > before) {
        i = end;
        continue;
      }
    }
    let next = i + 1;
    if (is(DIGIT, c) && cards) next = cardAt(s, i, out);
    else if (c === 65 && enabled.has("aws-access-key-id") && s.charCodeAt(i + 1) > 64)
      next = awsKeyAt(s, i, out);
    else if (c === 101 && s.startsWith("eyJ", i) && enabled.has("jwt")) next = jwtAt(s, i, out);
    else if (c === 45 && s.startsWith("-----BEGIN ", i) && enabled.has("private-key")) {
      const m = PEM.exec(s.slice(i, i + 64));
      if (m) out.push({ detector: "private-key", start: i, end: i + m[0].length, evidence: m[0] });
      next = i + (m ? m[0].length : 1);
    }
    if (
      next === i + 1 &&
      c >= 65 &&
      c <= 90 &&
      enabled.has("iban") &&
      is(DIGIT, s.charCodeAt(i + 2)) &&
      is(DIGIT, s.charCodeAt(i + 3))
    )
      next = Math.max(next, ibanAt(s, i, out));
    i = Math.max(next, i + 1);
  }
  return out;
}
