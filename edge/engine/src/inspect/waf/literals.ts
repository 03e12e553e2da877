/**
 * Required literals of a regular expression: a set of lowercase ASCII strings such that every
 * match of the expression contains at least one of them. A value holding none of them cannot
 * match, so the WAF skips the rule without running it. The analysis only ever widens (a part
 * it cannot judge counts as matching anything), which keeps the skip sound: a missed literal
 * costs speed, never a detection.
 */

/** What one part of an expression can match, as far as the analysis can tell. */
interface Info {
  /** Every string the part can match, when that set is small; undefined when it is not. */
  exact: Set<string> | undefined;
  /** Literals of which every match holds one; undefined means no constraint is known. */
  any: Set<string> | undefined;
}

const MAX_EXACT = 64;
const MAX_LITERAL = 24;
const UNKNOWN: Info = { exact: undefined, any: undefined };
const EMPTY: Info = { exact: new Set([""]), any: undefined };

/**
 * Marks a word boundary inside the analysis. At the start of a literal that begins with a word
 * char it survives as {@link WORD_START}; anywhere else it is dropped, as it matches no text.
 */
const BOUNDARY = "\x01";
const BOUNDARY_INFO: Info = { exact: new Set([BOUNDARY]), any: undefined };

/**
 * One or more chars that are not word chars (`\s+`, `\W`): text a literal cannot continue
 * through, so a literal is cut there and its word char at the cut must start or end a word.
 */
const NON_WORD = "\x02";
const NON_WORD_INFO: Info = { exact: new Set([NON_WORD]), any: undefined };

/**
 * Around a literal: first, it only counts where no ASCII word char precedes it (a `\b`
 * before it); last, where none follows it.
 */
export const WORD_START = "\x01";
export const WORD_END = "\x01";

function fromExact(exact: Set<string>): Info {
  const empty = [...exact].some((s) => finish(s) === "");
  return { exact, any: empty ? undefined : exact };
}

/**
 * A literal as the gate reads it: the longest piece between non-word runs, with a word start
 * or end kept where a boundary or a non-word run meets a word char; "" when nothing is left.
 */
function finish(literal: string): string {
  const pieces = literal.split(NON_WORD);
  let best = "";
  for (const [n, piece] of pieces.entries()) {
    const inner = piece.replaceAll(BOUNDARY, "");
    if (inner.length <= best.replaceAll(BOUNDARY, "").length) continue;
    const start = (n > 0 || piece.startsWith(BOUNDARY)) && /^[a-z0-9_]/.test(inner);
    const end = (n < pieces.length - 1 || piece.endsWith(BOUNDARY)) && /[a-z0-9_]$/.test(inner);
    best = `${start ? WORD_START : ""}${inner}${end ? WORD_END : ""}`;
  }
  return best;
}

/** The shortest literal decides how rare a set is; among equals the smaller set wins. */
function better(a: Set<string> | undefined, b: Set<string> | undefined): Set<string> | undefined {
  if (!a) return b;
  if (!b) return a;
  const shortest = (s: Set<string>) => Math.min(...[...s].map((x) => finish(x).length));
  const [la, lb] = [shortest(a), shortest(b)];
  if (la !== lb) return la > lb ? a : b;
  return a.size <= b.size ? a : b;
}

/** Widens `exact` to its any-set when it grew too large to keep. */
function settle(info: Info): Info {
  const { exact } = info;
  if (!exact) return info;
  const tooBig = exact.size > MAX_EXACT || [...exact].some((s) => s.length > MAX_LITERAL);
  return tooBig ? { exact: undefined, any: better(info.any, fromExact(exact).any) } : info;
}

function cross(a: Set<string>, b: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

/**
 * A sequence: consecutive parts with small exact sets multiply into one run of strings that
 * every match contains; where a run cannot grow it becomes a candidate and a new run starts.
 */
function concat(parts: Info[]): Info {
  let run = new Set([""]);
  let allExact = true;
  let any: Set<string> | undefined;
  for (const part of parts) {
    any = better(any, part.any);
    if (part.exact && run.size * part.exact.size <= MAX_EXACT) {
      run = cross(run, part.exact);
      continue;
    }
    allExact = false;
    any = better(any, fromExact(run).any);
    run = part.exact ? new Set(part.exact) : new Set([""]);
  }
  any = better(any, fromExact(run).any);
  return settle({ exact: allExact ? run : undefined, any });
}

function alternate(branches: Info[]): Info {
  if (branches.every((b) => b.exact)) {
    const exact = new Set<string>();
    for (const b of branches) for (const s of b.exact ?? []) exact.add(s);
    return settle(fromExact(exact));
  }
  const any = new Set<string>();
  for (const b of branches) {
    const own = b.any ?? (b.exact ? fromExact(b.exact).any : undefined);
    if (!own) return UNKNOWN;
    for (const s of own) any.add(s);
  }
  return { exact: undefined, any };
}

/**
 * An ASCII char lowercased; undefined for anything else, which the analysis leaves unconstrained
 * rather than reason about Unicode case folding.
 */
function fold(char: string): string | undefined {
  const code = char.charCodeAt(0);
  if (char.length !== 1 || code >= 0x80) return undefined;
  return char.toLowerCase();
}

const SIMPLE_ESCAPES: Record<string, string> = { n: "\n", r: "\r", t: "\t", f: "\f", v: "\v" };
const CLASS_LIMIT = 8;

/** A recursive-descent reader of JavaScript regex syntax, just deep enough for the analysis. */
class Reader {
  private at = 0;

  constructor(private readonly source: string) {}

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.source[this.at] === "|") {
      this.at++;
      branches.push(this.sequence());
    }
    return alternate(branches);
  }

  private sequence(): Info {
    const parts: Info[] = [];
    while (this.at < this.source.length && this.source[this.at] !== "|") {
      if (this.source[this.at] === ")") break;
      parts.push(this.quantified(this.atom()));
    }
    return concat(parts);
  }

  private quantified(atom: Info): Info {
    const quantifier = /^(?:[*+?]|\{(\d+)(?:(,)(\d*))?\})\??/.exec(this.source.slice(this.at));
    if (!quantifier) return atom;
    this.at += quantifier[0].length;
    const symbol = quantifier[0][0];
    const min = symbol === "{" ? Number(quantifier[1]) : symbol === "+" ? 1 : 0;
    const max = symbol === "{" ? (quantifier[2] ? Number(quantifier[3] || Infinity) : min) : symbol;
    // Any number of non-word chars reads like one run of them, or like none.
    if (atom.exact?.size === 1 && atom.exact.has(NON_WORD)) {
      return min === 0 ? { exact: new Set([NON_WORD, ""]), any: undefined } : atom;
    }
    if (min === 0 && max === "?" && atom.exact)
      return settle({ exact: new Set([...atom.exact, ""]), any: undefined });
    if (min === 0) return UNKNOWN;
    if (min === 1 && max === 1) return atom;
    // The first `min` repetitions are in every match: `\.{2,}` needs "..".
    let repeated = atom.exact;
    for (let n = 1; repeated && n < Math.min(min, 8); n++) {
      repeated =
        repeated.size * (atom.exact?.size ?? 0) <= MAX_EXACT
          ? cross(repeated, atom.exact ?? new Set())
          : undefined;
    }
    const own = atom.any ?? (atom.exact ? fromExact(atom.exact).any : undefined);
    const any = better(own, repeated && fromExact(repeated).any);
    return settle({ exact: max === min && min <= 8 ? repeated : undefined, any });
  }

  private atom(): Info {
    const char = this.source[this.at++] ?? "";
    if (char === "(") return this.group();
    if (char === "[") return this.charClass();
    if (char === "\\") return this.escape();
    if (char === "^" || char === "$") return EMPTY;
    if (char === ".") return UNKNOWN;
    const folded = fold(char);
    return folded === undefined ? UNKNOWN : fromExact(new Set([folded]));
  }

  private group(): Info {
    const head = /^\?(?:[:=!]|<[=!]|<[A-Za-z_$][\w$]*>)?/.exec(this.source.slice(this.at));
    const kind = head?.[0] ?? "";
    this.at += kind.length;
    const inner = this.alternation();
    if (this.source[this.at] !== ")") throw new Error("unbalanced group");
    this.at++;
    // Lookarounds match no text of their own; what they require lies outside the match.
    return kind === "?=" || kind === "?!" || kind === "?<=" || kind === "?<!" ? EMPTY : inner;
  }

  private escape(): Info {
    const char = this.source[this.at++] ?? "";
    if (char === "b") return BOUNDARY_INFO;
    if (char === "B") return EMPTY;
    if (char === "0" && !/[0-9]/.test(this.source[this.at] ?? ""))
      return fromExact(new Set(["\0"]));
    const simple = SIMPLE_ESCAPES[char];
    if (simple !== undefined) return fromExact(new Set([simple]));
    const coded = this.codedChar(char);
    if (coded !== undefined) return coded === "" ? UNKNOWN : fromExact(new Set([coded]));
    if (char === "s" || char === "W") return NON_WORD_INFO;
    if (/[dDwWsSpPk0-9cu]/.test(char)) {
      this.skipEscapeTail(char);
      return UNKNOWN;
    }
    const folded = fold(char);
    return folded === undefined ? UNKNOWN : fromExact(new Set([folded]));
  }

  /** Steps over what belongs to an escape the analysis does not read (`\p{L}`, `\k<n>`, `\12`). */
  private skipEscapeTail(char: string): void {
    const rest = this.source.slice(this.at);
    const tail = /[pPu]/.test(char)
      ? /^\{[^}]*\}/.exec(rest)
      : char === "k"
        ? /^<[^>]*>/.exec(rest)
        : char === "c"
          ? /^[A-Za-z]/.exec(rest)
          : /[0-9]/.test(char)
            ? /^[0-9]*/.exec(rest)
            : null;
    this.at += tail?.[0].length ?? 0;
  }

  /** `\xHH` and `\uHHHH` as the folded char; "" for a code the analysis does not keep. */
  private codedChar(char: string): string | undefined {
    const hex = char === "x" ? /^[0-9a-fA-F]{2}/ : char === "u" ? /^[0-9a-fA-F]{4}/ : undefined;
    const digits = hex?.exec(this.source.slice(this.at))?.[0];
    if (!digits) return undefined;
    this.at += digits.length;
    return fold(String.fromCharCode(Number.parseInt(digits, 16))) ?? "";
  }

  /** A small, positive class becomes its set of chars; anything else is unconstrained. */
  private charClass(): Info {
    const chars = new Set<string>();
    let negated = false;
    let known = true;
    if (this.source[this.at] === "^") {
      negated = true;
      this.at++;
    }
    let previous: string | undefined;
    while (this.at < this.source.length && this.source[this.at] !== "]") {
      let char = this.source[this.at++] ?? "";
      if (char === "-" && previous !== undefined && this.source[this.at] !== "]") {
        const end = this.classChar();
        if (end === undefined) known = false;
        else
          for (let c = previous.charCodeAt(0) + 1; c <= end.charCodeAt(0); c++)
            add(String.fromCharCode(c));
        previous = undefined;
        continue;
      }
      if (char === "\\") {
        this.at--;
        const escaped = this.classChar();
        if (escaped === undefined) {
          known = false;
          previous = undefined;
          continue;
        }
        char = escaped;
      }
      add(char);
      previous = char;
    }
    this.at++;
    if (negated || !known || chars.size > CLASS_LIMIT) return UNKNOWN;
    return fromExact(chars);

    function add(char: string) {
      const folded = fold(char);
      if (folded === undefined) known = false;
      else chars.add(folded);
    }
  }

  /** One char of a class, escapes included; undefined for a class escape such as `\d`. */
  private classChar(): string | undefined {
    const char = this.source[this.at++] ?? "";
    if (char !== "\\") return char;
    const escaped = this.source[this.at++] ?? "";
    const simple = SIMPLE_ESCAPES[escaped];
    if (simple !== undefined) return simple;
    if (escaped === "b") return "\b";
    const hex = escaped === "x" ? 2 : escaped === "u" ? 4 : 0;
    if (hex > 0 && /^[0-9a-fA-F]+$/.test(this.source.slice(this.at, this.at + hex))) {
      const code = Number.parseInt(this.source.slice(this.at, this.at + hex), 16);
      this.at += hex;
      return String.fromCharCode(code);
    }
    return /[dDwWsSpPcu0-9]/.test(escaped) ? undefined : escaped;
  }
}

function parts(literal: string) {
  const start = literal.length > 1 && literal.startsWith(WORD_START);
  const end = literal.length > 1 && literal.endsWith(WORD_END);
  return { start, end, inner: literal.slice(start ? 1 : 0, end ? -1 : undefined) };
}

/** Whether finding `a` implies finding `b`: `a` holds `b`, word start and end included. */
function covers(a: string, b: string): boolean {
  const [x, y] = [parts(a), parts(b)];
  if (y.start && y.end) return x.start && x.end && x.inner === y.inner;
  if (y.start) return x.start && x.inner.startsWith(y.inner);
  if (y.end) return x.end && x.inner.endsWith(y.inner);
  return x.inner.includes(y.inner);
}

/**
 * The literals every match of `pattern` contains one of (lowercase; the caller lowercases the
 * text it looks in), or undefined when the analysis finds no such set. Flags that change what
 * the syntax means beyond this reader (`v`), and anything it cannot parse, give undefined.
 */
export function requiredLiterals(pattern: RegExp): string[] | undefined {
  if (pattern.flags.includes("v")) return undefined;
  try {
    const reader = new Reader(pattern.source);
    const info = reader.alternation();
    const found = info.any ?? (info.exact ? fromExact(info.exact).any : undefined);
    const any = found && [...new Set([...found].map(finish))];
    if (any?.includes("")) return undefined;
    // A literal that holds another one adds nothing: finding the shorter one already counts.
    const kept = any?.filter((a) => !any.some((b) => b !== a && covers(a, b)));
    return kept?.sort();
  } catch {
    return undefined;
  }
}

/** What the WAF checks before it runs a rule: literals anywhere, or a match at the start. */
export interface RuleGate {
  literals: string[];
  /** The pattern's branches anchored at the start, run as they are (they read only a prefix). */
  head?: RegExp;
}

/** Splits a pattern's source at its top-level `|`, outside groups, classes and escapes. */
function topBranches(source: string): string[] {
  const branches: string[] = [];
  let depth = 0;
  let inClass = false;
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === "\\") i++;
    else if (inClass) inClass = char !== "]";
    else if (char === "[") inClass = true;
    else if (char === "(") depth++;
    else if (char === ")") depth--;
    else if (char === "|" && depth === 0) {
      branches.push(source.slice(start, i));
      start = i + 1;
    }
  }
  branches.push(source.slice(start));
  return branches;
}

/**
 * The gate of a rule's trigger: the literals of its unanchored branches, plus its branches
 * anchored at the start of the value as one regex, which costs a look at the value's head
 * instead of a scan. Undefined when some unanchored branch has no required literals.
 */
export function gateOf(pattern: RegExp): RuleGate | undefined {
  const branches = topBranches(pattern.source);
  // Each anchored branch is cut out and run on its own, which only keeps its meaning when no
  // back reference counts groups across branches and `^` means the start of the value.
  const flags = pattern.flags.replace(/[gy]/g, "");
  // An anchored branch with literals of its own is cheaper to gate than to run.
  const anchored = (b: string) =>
    b.startsWith("^") && !pattern.flags.includes("m") && !requiredLiterals(new RegExp(b, flags));
  const heads = /\\[1-9]|\\k</.test(pattern.source) ? [] : branches.filter(anchored);
  const rest = branches.filter((b) => !heads.includes(b));
  const literals = rest.length === 0 ? [] : requiredLiterals(new RegExp(rest.join("|"), flags));
  if (literals === undefined) return undefined;
  if (heads.length === 0) return { literals };
  return { literals, head: new RegExp(`^(?:${heads.join("|")})`, flags) };
}
