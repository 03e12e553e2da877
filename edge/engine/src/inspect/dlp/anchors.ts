import {
  ALNUM,
  AWS_PREFIXES,
  awsKeyAt,
  awsSecretAt,
  cardAt,
  type DlpHit,
  emailAt,
  ibanAt,
  is,
  jwtAt,
  PEM,
} from "./builtin.ts";

/**
 * Cards, SSNs and IBANs live in runs of digits and capitals joined by single spaces or dashes.
 * So do AWS key ids (20 characters). No finding is shorter than this: an SSN spans 11
 * characters, a card at least 12, an IBAN at least 15. Sampling one character in every RUN_STRIDE therefore lands in every run that counts.
 */
const RUN_STRIDE = 11;

/** Half the stride: a run of RUN_STRIDE characters that holds `p` holds `p - 5` or `p + 5`. */
const REACH = 5;

/** A digit or a capital letter, the characters of a run. */
function word(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90);
}

/**
 * A character of a run: a digit or capital, or one space or dash between two of them. Reads
 * stay inside the string, since an out-of-range read (NaN) would slow every later comparison.
 */
function inRun(s: string, i: number): boolean {
  if (i < 1 || i >= s.length - 1) return i >= 0 && i < s.length && word(s.charCodeAt(i));
  const c = s.charCodeAt(i);
  if (word(c)) return true;
  return (c === 32 || c === 45) && word(s.charCodeAt(i - 1)) && word(s.charCodeAt(i + 1));
}

/** A few reads that drop the samples landing in prose, short numbers and capitalised words. */
function mayBeLongRun(s: string, p: number): boolean {
  if (!inRun(s, p)) return false;
  return (inRun(s, p + REACH) && inRun(s, p + 2)) || (inRun(s, p - REACH) && inRun(s, p - 2));
}

/** True for 0-9; out-of-range reads give NaN, which is no digit. */
function digit(s: string, i: number): boolean {
  const c = s.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/**
 * Validates the candidates of one run. A finding starts where the previous character is not a
 * letter or digit, so only the run's start and the characters after its separators are tried.
 */
function judgeRun(s: string, a: number, b: number, on: Detectors, out: DlpHit[]): void {
  let j = a;
  while (j < b) {
    if (is(ALNUM, s.charCodeAt(j - 1))) {
      j++;
      continue;
    }
    const c = s.charCodeAt(j);
    let next = j + 1;
    if (on.cards && c >= 48 && c <= 57) {
      // A miss may be a card glued to the number before it ("3.50 4111 …"): try the next group.
      const before = out.length;
      const end = cardAt(s, j, out);
      if (out.length > before) next = end;
    } else if (on.iban && c >= 65 && c <= 90 && digit(s, j + 2) && digit(s, j + 3))
      next = ibanAt(s, j, out);
    else if (on.keyIds && c === 65 && AWS_PREFIXES.has(s.slice(j, j + 4)))
      next = awsKeyAt(s, j, on.keyIds);
    j = Math.max(next, j + 1);
  }
}

interface Detectors {
  cards: boolean;
  iban: boolean;
  /** Where AWS key ids go when they are looked for (kept apart: they also qualify secrets). */
  keyIds: DlpHit[] | undefined;
}

function numberRuns(s: string, on: Detectors, out: DlpHit[]): void {
  const length = s.length;
  let covered = 0;
  for (let p = 0; p < length; p += RUN_STRIDE) {
    const c = s.charCodeAt(p);
    if (!word(c) && c !== 32 && c !== 45) continue;
    if (p < covered || !mayBeLongRun(s, p)) continue;
    let a = p;
    let b = p + 1;
    while (a > 0 && inRun(s, a - 1)) a--;
    while (b < length && inRun(s, b)) b++;
    covered = b;
    if (b - a >= RUN_STRIDE) judgeRun(s, a, b, on, out);
  }
}

/** Calls `visit` at every index of `needle`, found by the engine's native string search. */
function each(s: string, needle: string, visit: (i: number) => void): void {
  for (let i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) visit(i);
}

const SECRET_VALUE = /^[A-Za-z_]*["']?\s*[:=]\s*["']?/;

function awsSecrets(s: string, keyIdSeen: boolean, out: DlpHit[]): void {
  if (keyIdSeen) {
    // Near a key id any 40-character token may be its secret, so every such token is judged.
    for (const m of s.matchAll(/[A-Za-z0-9/+]{40}/g)) awsSecretAt(s, m.index, out, true);
    return;
  }
  // Otherwise a secret needs its label; "cret" is the rarest stretch every label shares.
  const labelled = (i: number) => {
    const value = SECRET_VALUE.exec(s.slice(i + 4, i + 64));
    if (value) awsSecretAt(s, i + 4 + value[0].length, out, false);
  };
  each(s, "cret", labelled);
  each(s, "CRET", labelled);
}

function privateKeys(s: string, out: DlpHit[]): void {
  each(s, "-----", (i) => {
    if (!s.startsWith("-----BEGIN ", i)) return;
    const m = PEM.exec(s.slice(i, i + 64));
    if (m) out.push({ detector: "private-key", start: i, end: i + m[0].length, evidence: m[0] });
  });
}

/**
 * Runs every built-in detector over `s` (bytes as latin1 characters). Rather than visiting
 * each position, it jumps between anchors found by the engine's native string search (`@`, the
 * `yJ` of a JWT header, `-----`, secret labels) and samples one character in eleven for runs
 * of digits and capitals (cards, SSNs, IBANs, key ids); only there do the validators (Luhn, mod 97, the SSA's
 * rules) run. That is what makes it many times faster than one combined regular expression.
 */
export function scanBuiltins(s: string, enabled: ReadonlySet<string>): DlpHit[] {
  const out: DlpHit[] = [];
  const secrets = enabled.has("aws-secret-key");
  const keyIds = enabled.has("aws-access-key-id") || secrets ? [] : undefined;
  const on = {
    cards: enabled.has("credit-card") || enabled.has("us-ssn"),
    iban: enabled.has("iban"),
    keyIds,
  };
  if (on.cards || on.iban || keyIds) numberRuns(s, on, out);
  if (keyIds && enabled.has("aws-access-key-id")) out.push(...keyIds);
  if (secrets) awsSecrets(s, (keyIds?.length ?? 0) > 0, out);
  if (enabled.has("email")) each(s, "@", (at) => emailAt(s, at, out));
  if (enabled.has("jwt"))
    each(s, "yJ", (y) => {
      if (s.charCodeAt(y - 1) === 101 && !is(ALNUM, s.charCodeAt(y - 2))) jwtAt(s, y - 1, out);
    });
  if (enabled.has("private-key")) privateKeys(s, out);
  return out.sort((x, y) => x.start - y.start);
}
